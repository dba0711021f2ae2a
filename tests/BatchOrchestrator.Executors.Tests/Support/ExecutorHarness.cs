using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Local;

namespace BatchOrchestrator.Executors.Tests.Support;

/// <summary>A local executor over an in-memory log store and a private task root, for one test.</summary>
internal sealed class ExecutorHarness : IAsyncDisposable
{
    /// <summary>Guard for waits that normally end in milliseconds.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    public ExecutorHarness(LocalExecutorOptions? options = null)
    {
        Root = new TempFolder();
        Options = (options ?? new LocalExecutorOptions()) with { TaskRoot = System.IO.Path.Combine(Root.Path, "tries") };
        Executor = new LocalCommandExecutor(Logs, Options);
    }

    public TempFolder Root { get; }

    public MemoryLogStore Logs { get; } = new();

    public LocalExecutorOptions Options { get; }

    public LocalCommandExecutor Executor { get; }

    /// <summary>A request for <c>/bin/sh -c script</c> with a fresh try identity.</summary>
    public CommandRequest Sh(string script)
    {
        var n = Guid.NewGuid().ToString("N")[..12];
        return new CommandRequest
        {
            AttemptId = $"attempt-{Guid.NewGuid():N}",
            TaskName = $"+test+t{n}",
            Command = ["/bin/sh", "-c", script],
            WorkingDirectory = Root.Path,
            Log = new TaskLogKey("p", "wf", "2026-01-01T00:00:00+00:00", "a", $"+test+t{n}", 0),
        };
    }

    /// <summary>Polls until finished (each poll already waits), then collects the logs.</summary>
    public async Task<CommandStatus> WaitAsync(CommandState state)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            var status = await Executor.PollAsync(state, guard.Token);
            if (status.IsFinished)
            {
                await Executor.CollectLogsAsync(status.State, guard.Token);
                return status;
            }
        }
    }

    public async Task<CommandStatus> RunAsync(CommandRequest request)
    {
        var launched = await Executor.LaunchAsync(request, CancellationToken.None);
        return launched.IsFinished ? launched : await WaitAsync(launched.State);
    }

    public string Log(CommandRequest request) => Logs.Text(request.Log);

    /// <summary>Waits for a condition that another process makes true; fails after <see cref="Guard"/>.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (!condition())
        {
            if (guard.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Executor.DisposeAsync();
        Root.Dispose();
    }
}
