using System.Diagnostics;
using System.Globalization;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime;
using BatchOrchestrator.Runtime.Registration;
using Microsoft.Data.Sqlite;

// Measures the embedded runtime on no-op activities, next to a baseline measured in the same
// run on the same disk: one SQLite WAL transaction per activity, the least a durable runtime
// that commits each step separately would pay.
var large = args.Contains("--large");
var directory = Path.Combine(Path.GetTempPath(), "bo-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
try
{
    var baseline = Baseline(Path.Combine(directory, "baseline.db"), 5_000);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline: {baseline:F0} SQLite transactions/s (one insert + delete each)"));
    Console.WriteLine("scenario                         activities   seconds   activities/s   ratio to baseline   target");

    var sequential = await RunAsync(directory, "Sequential", 1_000);
    Report("sequential chain", 1_000, sequential, baseline, "≥ 1,000/s");
    var fan10k = await RunAsync(directory, "FanOut", 10_000);
    Report("fan-out/fan-in", 10_000, fan10k, baseline, "≥ 5,000/s");
    if (large)
    {
        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var fan100k = await RunAsync(directory, "FanOut", 100_000);
        Report("fan-out/fan-in", 100_000, fan100k, baseline, "≤ 12× the 10,000 time");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"100,000 / 10,000 time: {fan100k.TotalSeconds / fan10k.TotalSeconds:F1}×; peak working set {Math.Max(before, Process.GetCurrentProcess().PeakWorkingSet64) / (1024 * 1024)} MiB (target < 1,024 MiB)"));
    }

    var recovery = await RecoveryAsync(directory, 5_000);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"recovery: an instance with {recovery.Events} history events resumed after a restart in {recovery.Time.TotalSeconds:F2} s (target < 2 s)"));
}
finally
{
    Directory.Delete(directory, recursive: true);
}

static void Report(string name, int count, TimeSpan time, double baseline, string target)
{
    var rate = count / time.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-32} {count,10:N0}   {time.TotalSeconds,7:F2}   {rate,12:N0}   {rate / baseline,17:F2}   {target}"));
}

static OrchestrationRegistry Registry() => new OrchestrationRegistry()
    .AddActivity<int, int>("Noop", x => x)
    .AddOrchestrator<int, int>("Sequential", async (context, n) =>
    {
        var x = 0;
        for (var i = 0; i < n; i++)
        {
            x = await context.CallActivityAsync<int>("Noop", i);
        }

        return x;
    })
    .AddOrchestrator<int, int>("FanOut", async (context, n) =>
        (await Task.WhenAll(Enumerable.Range(0, n).Select(i => context.CallActivityAsync<int>("Noop", i)))).Length)
    .AddOrchestrator<int, int>("WaitAfter", async (context, n) =>
    {
        for (var i = 0; i < n; i++)
        {
            await context.CallActivityAsync<int>("Noop", i);
        }

        return await context.WaitForExternalEvent<int>("go");
    });

static async Task<TimeSpan> RunAsync(string directory, string orchestrator, int count)
{
    await using var runtime = await DurableRuntime.StartAsync(
        new DurableRuntimeOptions { DatabasePath = Path.Combine(directory, $"{orchestrator}-{count}.db") }, Registry());
    var clock = Stopwatch.StartNew();
    var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, count);
    var done = await runtime.Client.WaitForInstanceCompletionAsync(id);
    clock.Stop();
    if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
    {
        throw new InvalidOperationException($"{orchestrator} ended {done.RuntimeStatus}: {done.FailureDetails}");
    }

    return clock.Elapsed;
}

static async Task<(int Events, TimeSpan Time)> RecoveryAsync(string directory, int activities)
{
    var path = Path.Combine(directory, "recovery.db");
    string id;
    await using (var runtime = await DurableRuntime.StartAsync(new DurableRuntimeOptions { DatabasePath = path }, Registry()))
    {
        id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("WaitAfter", activities);
        while ((await runtime.Client.GetHistoryAsync(id)).Count(e => e.EventType == HistoryEventType.TaskCompleted) < activities)
        {
            await Task.Delay(50);
        }
    }

    var clock = Stopwatch.StartNew();
    await using var restarted = await DurableRuntime.StartAsync(new DurableRuntimeOptions { DatabasePath = path }, Registry());
    await restarted.Client.RaiseEventAsync(id, "go", 1);
    await restarted.Client.WaitForInstanceCompletionAsync(id);
    clock.Stop();
    return ((await restarted.Client.GetHistoryAsync(id)).Count, clock.Elapsed);
}

static double Baseline(string path, int count)
{
    using var connection = new SqliteConnection($"Data Source={path}");
    connection.Open();
    using (var setup = connection.CreateCommand())
    {
        setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE q (id INTEGER PRIMARY KEY, payload TEXT)";
        setup.ExecuteNonQuery();
    }

    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO q (payload) VALUES ('x'); DELETE FROM q WHERE id = last_insert_rowid()";
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    return count / clock.Elapsed.TotalSeconds;
}
