using System.Diagnostics;
using System.Globalization;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.Sqlite;

// Prints upserts/s of SqliteRunStore and appends/s of FileLogStore for 10,000 records in the
// shapes the engine produces: one batch, many activity workers at once, and one at a time;
// and the time of a page of attempts at 2,000 sessions.
// Run: dotnet run -c Release --project bench/BatchOrchestrator.Bench.Storage
const int Count = 10_000;
var folder = Directory.CreateTempSubdirectory("bo-bench-storage-");
using var cancellation = new CancellationTokenSource();
var ct = cancellation.Token;
try
{
    await using var store = await SqliteRunStore.OpenAsync(Path.Combine(folder.FullName, "runs.db"), ct);
    var started = DateTimeOffset.UtcNow;
    TaskRecord Row(string attempt, int i, TaskState state) => new()
    {
        AttemptId = attempt,
        TaskName = $"+bench+group+task{i}",
        State = state,
        Tries = 1,
        StartedAt = started,
        FinishedAt = state == TaskState.Success ? started : null,
        LogReference = $"bench/+bench+group+task{i}.try1.log",
    };

    // Warm-up: JIT and the first pages of the file, so the rows below measure steady state.
    await store.UpsertTasksAsync(Enumerable.Range(0, 1000).Select(i => Row("warm", i, TaskState.Running)).ToList(), ct);

    await Measure("one batch of new records (UpsertTasksAsync)", () =>
        store.UpsertTasksAsync(Enumerable.Range(0, Count).Select(i => Row("batch", i, TaskState.Running)).ToList(), ct));
    await Measure("the same batch again, as updates", () =>
        store.UpsertTasksAsync(Enumerable.Range(0, Count).Select(i => Row("batch", i, TaskState.Success)).ToList(), ct));
    await Measure("concurrent single upserts (group commit)", () =>
        Task.WhenAll(Enumerable.Range(0, Count).Select(i => Task.Run(() => store.UpsertTaskAsync(Row("concurrent", i, TaskState.Running), ct), ct))));
    await Measure("sequential awaited single upserts", async () =>
    {
        for (var i = 0; i < Count; i++)
        {
            await store.UpsertTaskAsync(Row("sequential", i, TaskState.Running), ct);
        }
    });
    await Measure("reading an attempt's tasks (rows/s)", () => store.GetTasksAsync("batch", ct));

    // GET /api/attempts?pageSize=1 at 2,000 sessions: one paged query, against the scan of every session it replaced (the baseline).
    for (var i = 0; i < 2_000; i++)
    {
        var session = new BatchOrchestrator.Engine.Sessions.SessionKey("bench", "paged", started.AddMinutes(-i));
        await store.UpsertAttemptAsync(new AttemptRecord { AttemptId = session.AttemptInstanceId(null), Session = session, Status = AttemptStatus.Success, CreatedAt = started.AddMinutes(-i) }, ct);
    }

    var paged = await PerQuery(() => store.ListAttemptsAsync(new AttemptQuery { PageSize = 1 }, ct));
    var scanned = await PerQuery(() => AttemptScan.ListAsync(store, new AttemptQuery { PageSize = 1 }, ct));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"a page of 1 attempt at 2,000 sessions",-48} {paged,8:F2} ms/query (the session scan: {scanned:F2} ms, {scanned / paged:F0}x)"));

    var logs = new FileLogStore(Path.Combine(folder.FullName, "logs"));
    var key = new TaskLogKey("bench", "bench", "2024-05-01T00:00:00Z", "a", "+bench+task", 1);
    await logs.AppendAsync(key, "warm-up\n", ct);
    await Measure("log appends to one log, sequential", async () =>
    {
        for (var i = 0; i < Count; i++)
        {
            await logs.AppendAsync(key, "a line of output from a task\n", ct);
        }
    });
    await Measure("log appends to 100 logs, concurrent", () =>
        Task.WhenAll(Enumerable.Range(0, Count).Select(i =>
            logs.AppendAsync(key with { TaskName = $"+bench+t{i % 100}" }, "a line of output from a task\n", ct))));
}
finally
{
    folder.Delete(recursive: true);
}

static async Task Measure(string what, Func<Task> run)
{
    var clock = Stopwatch.StartNew();
    await run();
    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{what,-48} {Count,6} in {seconds * 1000,8:F1} ms = {Count / seconds,10:N0}/s"));
}

static async Task<double> PerQuery<T>(Func<Task<T>> query)
{
    await query();
    const int Times = 50;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < Times; i++)
    {
        await query();
    }

    return clock.Elapsed.TotalMilliseconds / Times;
}
