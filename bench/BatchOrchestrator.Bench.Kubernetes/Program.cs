using System.Diagnostics;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Api;
using BatchOrchestrator.Executors.Kubernetes.Jobs;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using BatchOrchestrator.Executors.Tests.Support;

// Jobs: launch + poll + collect + cleanup of N Jobs at once. CPU is the whole process's
// (client AND fake server), so the per-Job figure is an upper bound on the client's cost.
const int jobs = 200;
await using var server = await FakeKubernetesServer.StartAsync();
using var api = new KubernetesApi(new HttpClient { BaseAddress = server.BaseUri }, null);
var logs = new MemoryLogStore();
var executor = new KubernetesCommandExecutor(api, logs, new KubernetesExecutorOptions { Namespace = "bench", PollInterval = TimeSpan.FromMilliseconds(50), WatchWindow = TimeSpan.FromMilliseconds(200) });
var process = Process.GetCurrentProcess();
var cpu0 = process.TotalProcessorTime;
var wall = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, jobs).Select(async i =>
{
    var request = new CommandRequest
    {
        AttemptId = "bench",
        TaskName = $"+bench+t{i}",
        Try = 1,
        Command = ["/bin/sh", "-c", "echo line one\necho line two\nstore k=v"],
        WorkingDirectory = "/",
        Container = System.Text.Json.JsonSerializer.SerializeToElement(new { executor = "kubernetes", image = "fake/run" }),
        Log = new TaskLogKey("p", "wf", "s", "a", $"+bench+t{i}", 1),
    };
    var status = await executor.LaunchAsync(request, CancellationToken.None);
    while (!status.IsFinished)
    {
        await Task.Delay(status.PollAfter);
        status = await executor.PollAsync(status.State, CancellationToken.None);
    }

    var state = await executor.CollectLogsAsync(status.State, CancellationToken.None);
    await executor.CleanupAsync(state, CancellationToken.None);
    if (status.Phase != CommandPhase.Succeeded)
    {
        throw new InvalidOperationException(status.FailureMessage);
    }
}));
process.Refresh();
var cpu = process.TotalProcessorTime - cpu0;
Console.WriteLine($"jobs: {jobs} in {wall.Elapsed.TotalSeconds:0.00}s wall; process CPU (client + fake server) {cpu.TotalMilliseconds:0} ms = {cpu.TotalMilliseconds / jobs:0.00} ms per Job (target < 5 ms client CPU)");

// Watch: one Job changed N times; the client reads and classifies every event.
const int events = 4000; // within the fake's watch history (5,000 changes)
var request2 = new CommandRequest { AttemptId = "w", TaskName = "+w", Command = ["/bin/sh", "-c", "sleep 600"], WorkingDirectory = "/", Container = System.Text.Json.JsonSerializer.SerializeToElement(new { image = "fake/run" }), Log = new TaskLogKey("p", "wf", "s", "a", "+w", 1) };
var launched = await executor.LaunchAsync(request2, CancellationToken.None);
var name = JobName.For("w", "+w", 0);
var from = server.Cluster.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
server.Cluster.Touch("bench", name, events);
var count = 0;
process.Refresh();
cpu0 = process.TotalProcessorTime;
wall.Restart();
await foreach (var e in api.WatchJobsAsync("bench", $"metadata.name={name}", from, TimeSpan.FromSeconds(1), CancellationToken.None))
{
    _ = JobConditions.Of(e.Object);
    if (++count == events)
    {
        break;
    }
}

process.Refresh();
Console.WriteLine($"watch: {count} events in {wall.Elapsed.TotalMilliseconds:0} ms = {count / wall.Elapsed.TotalSeconds:0} events/s; process CPU {(process.TotalProcessorTime - cpu0).TotalMilliseconds:0} ms (target 1,000 events/s)");
executor.Dispose();
