// bo-bench <file.dig>: what `bo run <file.dig>` does, minus its display — the local engine on the
// state folder .bo beside the file, one attempt of the workflow in a fresh session, wait, exit 0
// when it succeeded and 1 when it failed. With BO_BENCH_VERBOSE=1 it prints where the wall time went.
// With BO_BENCH_ALLOCS=1 (JIT build) it also prints the types that allocated the most (AllocationSampler).
// bo-bench --start <folder>: the engine started on <folder>/.bo and stopped, no workflow (the start-up floor).
// bo-bench --compile <file.dig>: parse and compile the workflow as a run does (checked by the
// LoadWorkflow activity, compiled again in orchestrator code), prints the milliseconds of each.
// bo-bench --files <count> <folder>: the file floor of echo> runs — <count> task logs of one line
// created in one attempt folder under <folder> through the local log store (FileLogStore: open,
// write, close), one after another; prints the milliseconds and the process's CPU time.
using System.Diagnostics;
using System.Runtime.Versioning;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Templating;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Storage.Files;

[assembly: SupportedOSPlatform("linux")]

if (args is ["--start", var folder])
{
    await using (await LocalEngine.StartAsync(new LocalEngineOptions(Path.Combine(Path.GetFullPath(folder), ".bo")), CancellationToken.None))
    {
    }

    return 0;
}

if (args is ["--compile", var dig])
{
    var path = Path.GetFullPath(dig);
    var operators = LocalOperators.Create([]);
    var watch = Stopwatch.StartNew();
    var revision = await ProjectRevision.FromDirectoryAsync("bench", Path.GetDirectoryName(path)!, CancellationToken.None);
    var source = await WorkflowSources.FromRevisionAsync(revision, operators, Path.GetFileNameWithoutExtension(path), CancellationToken.None);
    var checkedAt = watch.Elapsed;
    var loaded = await new WorkflowCompiler(new TemplateEngine(), operators).CompileAsync(source);
    var compiledAt = watch.Elapsed;
    Console.WriteLine($"read+check {checkedAt.TotalMilliseconds:F0} ms, compile {(compiledAt - checkedAt).TotalMilliseconds:F0} ms, {loaded.Plan.Tasks.Count} tasks");
    return 0;
}

if (args is ["--files", var countText, var root] && int.TryParse(countText, out var count) && count > 0)
{
    var store = new FileLogStore(Path.GetFullPath(root));
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    for (var i = 1; i <= count; i++)
    {
        // The key and the line an echo> task of run.sh's noop.dig gets.
        await store.AppendAsync(new TaskLogKey("bench", "files", "20261207T000000Z", "attempt-1", $"+files+n{i}", 1), $"n{i}\n", CancellationToken.None);
    }

    var elapsed = watch.Elapsed;
    Console.WriteLine($"{count} log files in {elapsed.TotalMilliseconds:F0} ms, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU");
    return 0;
}

if (args.Length != 1 || !args[0].EndsWith(".dig", StringComparison.Ordinal))
{
    Console.Error.WriteLine("usage: bo-bench <file.dig> | --start <folder> | --compile <file.dig> | --files <count> <folder>");
    return 2;
}

var verbose = Environment.GetEnvironmentVariable("BO_BENCH_VERBOSE") == "1";
using var allocations = Environment.GetEnvironmentVariable("BO_BENCH_ALLOCS") == "1" ? new BatchOrchestrator.Bench.Engine.AllocationSampler() : null;
var clock = Stopwatch.StartNew();
var file = Path.GetFullPath(args[0]);
var project = Path.GetDirectoryName(file)!;
await using var engine = await LocalEngine.StartAsync(new LocalEngineOptions(Path.Combine(project, ".bo")), CancellationToken.None);
var started = clock.Elapsed;
var attempt = await engine.StartAsync(
    new AttemptRequest
    {
        ProjectDirectory = project,
        WorkflowName = Path.GetFileNameWithoutExtension(file),
        SessionTime = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
    },
    CancellationToken.None);
var scheduled = clock.Elapsed;
var outcome = await engine.WaitAsync(attempt.AttemptId, CancellationToken.None);
var finished = clock.Elapsed;
foreach (var error in outcome.Errors)
{
    Console.Error.WriteLine($"{error.TaskName}: {error.Message}");
}

if (verbose)
{
    var tasks = await engine.Runs.GetTasksAsync(attempt.AttemptId, CancellationToken.None);
    Console.Error.WriteLine(
        $"engine start {started.TotalMilliseconds:F0} ms, attempt start {(scheduled - started).TotalMilliseconds:F0} ms, " +
        $"run {(finished - scheduled).TotalMilliseconds:F0} ms, {tasks.Count} task records, " +
        $"{(finished - scheduled).TotalMilliseconds * 1000 / Math.Max(1, tasks.Count):F0} µs a task record, " +
        $"{GC.GetTotalAllocatedBytes(precise: true) / Math.Max(1, tasks.Count)} bytes allocated a task record (whole process), " +
        $"GCs gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
}

foreach (var line in allocations?.Top(25) ?? [])
{
    Console.Error.WriteLine(line);
}

return outcome.Succeeded ? 0 : 1;
