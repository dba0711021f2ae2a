using System.Diagnostics;
using System.Globalization;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Api;
using BatchOrchestrator.Executors.Kubernetes.Jobs;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using BatchOrchestrator.Executors.Tests.Support;

// The fake API server runs in a child process (this program with --server), so the CPU this
// process uses is the client's alone: the executor, the hand-written client, HttpClient, JSON,
// and the runtime under them (GC, JIT, thread pool). The child reports its own CPU for comparison.
if (args is ["--server"])
{
    await ServerChild.RunAsync();
    return;
}

const int jobs = 200;
const double goalMs = 5.0;
using var server = ServerProcess.Start();
var requests = new CountingHandler(new SocketsHttpHandler());
using var api = new KubernetesApi(new HttpClient(requests) { BaseAddress = server.BaseUri }, null, ownsClient: true);
var logs = new MemoryLogStore();

// Two regimes: as configured by default (a poll after 1 s, watching the Job up to 2 s), and busy
// polling (50 ms, 200 ms windows) where a Job is polled many times. Client CPU per Job is roughly
// (requests per Job) × (CPU per request), so both are printed.
(string Name, KubernetesExecutorOptions Options)[] regimes =
[
    ("default (poll 1s, watch<=2s)", new KubernetesExecutorOptions { Namespace = "bench", PollInterval = TimeSpan.FromSeconds(1) }),
    ("busy (poll 50ms, watch<=200ms)", new KubernetesExecutorOptions { Namespace = "bench", PollInterval = TimeSpan.FromMilliseconds(50), WatchWindow = TimeSpan.FromMilliseconds(200) }),
];
Console.WriteLine($"Kubernetes client CPU: {jobs} Jobs launched, polled, collected and cleaned up at once; fake API server in its own process ({server.Id}), so the CPU below is the client's alone.");
Console.WriteLine($"{"regime / round",-38} {"wall s",7} {"client ms",10} {"ms/Job",7} {"vs 5 ms",8} {"req/Job",8} {"µs/req",7} {"server ms/Job",14}");
KubernetesCommandExecutor? executor = null;
foreach (var (regime, options) in regimes)
{
    executor = new KubernetesCommandExecutor(api, logs, options);
    for (var round = 1; round <= 3; round++)
    {
        var serverCpu0 = server.CpuMilliseconds();
        var requests0 = requests.Count;
        var (cpu, wall) = await MeasureAsync(() => RunJobsAsync(executor, $"{regime[0]}{round}", jobs));
        var serverCpu = server.CpuMilliseconds() - serverCpu0;
        var sent = requests.Count - requests0;
        var perJob = cpu / jobs;
        var label = $"{regime} {round}{(round == 1 && regime == regimes[0].Name ? " (cold: JIT)" : "")}";
        Console.WriteLine($"{label,-38} {wall,7:0.00} {cpu,10:0} {perJob,7:0.00} {perJob / goalMs,7:0.00}x {(double)sent / jobs,8:0.0} {cpu * 1000 / sent,7:0} {serverCpu / jobs,14:0.00}");
    }
}

// Watch: one Job changed N times; the client reads and classifies every event.
const int events = 4000; // within the fake's watch history (5,000 changes)
var request = Request("w", "+w", "sleep 600");
await executor!.LaunchAsync(request, CancellationToken.None);
var name = JobName.For(request.AttemptId, request.TaskName, request.Try);
var from = server.Touch("bench", name, events);
var count = 0;
var (watchCpu, watchWall) = await MeasureAsync(async () =>
{
    await foreach (var e in api.WatchJobsAsync("bench", $"metadata.name={name}", from, TimeSpan.FromSeconds(30), CancellationToken.None))
    {
        _ = JobConditions.Of(e.Object);
        if (++count == events)
        {
            break;
        }
    }
});
Console.WriteLine($"watch: {count} events in {watchWall * 1000:0} ms = {count / watchWall:0} events/s ({count / watchWall / 1000:0.0}x the 1,000 events/s goal); client CPU {watchCpu:0} ms = {watchCpu * 1000 / count:0} µs per event");

static async Task<(double CpuMs, double WallSeconds)> MeasureAsync(Func<Task> work)
{
    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    await work();
    wall.Stop();
    process.Refresh();
    return ((process.TotalProcessorTime - cpu0).TotalMilliseconds, wall.Elapsed.TotalSeconds);
}

static async Task RunJobsAsync(KubernetesCommandExecutor executor, string attempt, int jobs) =>
    await Task.WhenAll(Enumerable.Range(0, jobs).Select(async i =>
    {
        var request = Request(attempt, $"+bench+t{i}", "echo line one\necho line two\nstore k=v");
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

static CommandRequest Request(string attempt, string task, string script) => new()
{
    AttemptId = attempt,
    TaskName = task,
    Try = 1,
    Command = ["/bin/sh", "-c", script],
    WorkingDirectory = "/",
    Container = System.Text.Json.JsonSerializer.SerializeToElement(new { executor = "kubernetes", image = "fake/run" }),
    Log = new TaskLogKey("p", "wf", "s", attempt, task, 1),
};

/// <summary>The child: a fake API server, driven by lines on stdin (<c>cpu</c>, <c>touch ns name n</c>), answering on stdout.</summary>
internal static class ServerChild
{
    public static async Task RunAsync()
    {
        await using var server = await FakeKubernetesServer.StartAsync();
        Console.WriteLine($"url {server.BaseUri}");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            switch (line.Split(' '))
            {
                case ["cpu"]:
                    var process = Process.GetCurrentProcess();
                    Console.WriteLine($"cpu {process.TotalProcessorTime.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}");
                    break;
                case ["touch", var ns, var name, var times]:
                    // Only these changes in the watch history (as after etcd compaction), so none expire.
                    server.Cluster.Compact();
                    var from = server.Cluster.Version;
                    server.Cluster.Touch(ns, name, int.Parse(times, CultureInfo.InvariantCulture));
                    Console.WriteLine($"from {from.ToString(CultureInfo.InvariantCulture)}");
                    break;
                default:
                    return;
            }
        }
    }
}

/// <summary>The fake API server's process, seen from the benchmark.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public int Id => _process.Id;

    public static ServerProcess Start()
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (!Environment.ProcessPath!.EndsWith("BatchOrchestrator.Bench.Kubernetes", StringComparison.Ordinal))
        {
            // Run as `dotnet x.dll`: the child is the same dll.
            start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        }

        start.ArgumentList.Add("--server");
        var process = Process.Start(start)!;
        var first = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the fake API server process ended before it listened");
        return new ServerProcess(process, new Uri(first["url ".Length..]));
    }

    public double CpuMilliseconds() => double.Parse(Ask("cpu")["cpu ".Length..], CultureInfo.InvariantCulture);

    /// <summary>Changes the Job <paramref name="times"/> times; returns the resourceVersion to watch from.</summary>
    public string Touch(string ns, string name, int times) => Ask($"touch {ns} {name} {times}")["from ".Length..];

    public void Dispose()
    {
        _process.StandardInput.Close();
        _process.WaitForExit(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private string Ask(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        return _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the fake API server process ended");
    }
}

/// <summary>Counts the requests the client sends.</summary>
internal sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return base.SendAsync(request, cancellationToken);
    }
}
