using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using BatchOrchestrator.Executors.Tests.Support;
using k8s;

namespace BatchOrchestrator.Executors.Tests.Kubernetes;

/// <summary>A fake API server and a Kubernetes executor on it with short waits, for one test.</summary>
internal sealed class KubernetesHarness : IAsyncDisposable
{
    private KubernetesHarness(FakeKubernetesServer server, KubernetesExecutorOptions options, TimeProvider? clientTime)
    {
        Server = server;
        Api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri), clientTime);
        Executor = new KubernetesCommandExecutor(Api, Logs, options);
    }

    public FakeKubernetesServer Server { get; }

    public FakeCluster Cluster => Server.Cluster;

    public IKubernetes Api { get; }

    public MemoryLogStore Logs { get; } = new();

    public KubernetesCommandExecutor Executor { get; }

    public static readonly KubernetesExecutorOptions FastOptions = new()
    {
        Namespace = "batch",
        PollInterval = TimeSpan.FromMilliseconds(20),
        WatchWindow = TimeSpan.FromMilliseconds(300),
        StuckTimeout = TimeSpan.FromMilliseconds(300),
        PendingTimeout = TimeSpan.FromSeconds(10),
    };

    /// <param name="options">The executor's settings; null: <see cref="FastOptions"/>.</param>
    /// <param name="clientTime">The clock of the client's retry backoff (an <see cref="InstantTime"/> records the waits instead of waiting).</param>
    public static async Task<KubernetesHarness> StartAsync(KubernetesExecutorOptions? options = null, TimeProvider? clientTime = null) =>
        new(await FakeKubernetesServer.StartAsync(), options ?? FastOptions, clientTime);

    public static CommandRequest Sh(string script, string image = "fake/run", object? container = null, TimeSpan? timeout = null)
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        var settings = container ?? new { executor = "kubernetes", image };
        return new CommandRequest
        {
            AttemptId = $"attempt-{Guid.NewGuid():N}",
            TaskName = $"+wf+step{n}",
            Try = 1,
            Command = ["/bin/sh", "-c", script],
            Environment = new Dictionary<string, string> { ["GREETING"] = "hi" },
            WorkingDirectory = "/unused",
            Container = System.Text.Json.JsonSerializer.SerializeToElement(settings),
            Timeout = timeout,
            Log = new TaskLogKey("p", "wf", "2026-01-01T00:00:00+00:00", "a", $"+wf+step{n}", 1),
        };
    }

    /// <summary>Launch, poll (sleeping PollAfter) until finished, collect logs, clean up — what the orchestrator does.</summary>
    public Task<CommandStatus> RunAsync(CommandRequest request, Func<CommandStatus, Task>? afterPoll = null) => RunAsync(Executor, request, afterPoll);

    /// <inheritdoc cref="RunAsync(CommandRequest, Func{CommandStatus, Task}?)"/>
    public static async Task<CommandStatus> RunAsync(KubernetesCommandExecutor executor, CommandRequest request, Func<CommandStatus, Task>? afterPoll = null)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var status = await executor.LaunchAsync(request, guard.Token);
        while (!status.IsFinished && status.Phase != CommandPhase.Lost)
        {
            await Task.Delay(status.PollAfter, guard.Token);
            status = await executor.PollAsync(status.State, guard.Token);
            if (afterPoll is not null)
            {
                await afterPoll(status);
            }
        }

        var state = await executor.CollectLogsAsync(status.State, guard.Token);
        await executor.CleanupAsync(state, guard.Token);
        return status;
    }

    public async ValueTask DisposeAsync()
    {
        Executor.Dispose();
        Api.Dispose();
        await Server.DisposeAsync();
    }
}
