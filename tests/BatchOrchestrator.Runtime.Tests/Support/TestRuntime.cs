using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime;
using BatchOrchestrator.Runtime.Registration;

namespace BatchOrchestrator.Runtime.Tests.Support;

/// <summary>A runtime on a fresh database in a temporary directory, restartable on the same file.</summary>
internal sealed class TestRuntime : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    private TestRuntime(DurableRuntimeOptions options) => Options = options;

    public DurableRuntimeOptions Options { get; private set; }

    public DurableRuntime? Runtime { get; private set; }

    public IOrchestrationClient Client => Runtime?.Client ?? throw new InvalidOperationException("Not started.");

    public string DatabasePath => Options.DatabasePath;

    public static Task<TestRuntime> StartAsync(OrchestrationRegistry registry, Func<DurableRuntimeOptions, DurableRuntimeOptions>? configure = null)
    {
        var runtime = new TestRuntime(new DurableRuntimeOptions { DatabasePath = "" });
        return runtime.InitAsync(registry, configure);
    }

    private async Task<TestRuntime> InitAsync(OrchestrationRegistry registry, Func<DurableRuntimeOptions, DurableRuntimeOptions>? configure)
    {
        var options = new DurableRuntimeOptions { DatabasePath = _directory.File("runtime.db"), ActivityWorkers = 4, PollInterval = TimeSpan.FromMilliseconds(200), RetryDelay = TimeSpan.FromMilliseconds(100) };
        Options = configure?.Invoke(options) ?? options;
        Runtime = await DurableRuntime.StartAsync(Options, registry);
        return this;
    }

    /// <summary>Stops the runtime, as a crash would as far as uncommitted work goes.</summary>
    public async Task StopAsync()
    {
        if (Runtime is not null)
        {
            await Runtime.DisposeAsync();
            Runtime = null;
        }
    }

    /// <summary>Starts a new runtime on the same database, possibly with other registrations.</summary>
    public async Task RestartAsync(
        OrchestrationRegistry registry, Func<DurableRuntimeOptions, DurableRuntimeOptions>? configure = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        await StopAsync();
        Options = configure?.Invoke(Options) ?? Options;
        Runtime = await DurableRuntime.StartAsync(Options, registry, loggerFactory);
    }

    public async Task<OrchestrationMetadata> RunAsync(string orchestrator, object? input = null, string? instanceId = null)
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new StartOrchestrationOptions(instanceId));
        return await WaitAsync(id);
    }

    public async Task<OrchestrationMetadata> WaitAsync(string instanceId)
    {
        using var guard = new CancellationTokenSource(Timeouts.Guard);
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, guard.Token);
    }

    /// <summary>Waits until the instance's history has an event of that type (a condition, not a sleep).</summary>
    public async Task WaitForHistoryAsync(string instanceId, HistoryEventType type, int count = 1)
    {
        await Eventually.TrueAsync(async () => (await Client.GetHistoryAsync(instanceId)).Count(e => e.EventType == type) >= count, $"{count}× {type} in '{instanceId}'");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _directory.Dispose();
    }
}
