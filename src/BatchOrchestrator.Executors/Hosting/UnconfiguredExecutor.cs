using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Executors.Hosting;

/// <summary>
/// Stands in for a known executor (<c>kubernetes</c>, <c>aci</c>) this host is not set up for, or
/// whose settings are unusable: its tasks fail at launch with what to set, instead of the
/// generic "not available" — the rest of the workflow still runs locally.
/// </summary>
public sealed class UnconfiguredExecutor(string name, string message) : ICommandExecutor
{
    public string Name => name;

    public string Message => message;

    public Task<CommandStatus> LaunchAsync(CommandRequest request, CancellationToken cancellationToken) =>
        throw new TaskFailure(message, retryable: false);

    // Nothing was ever launched, so there is no state to poll, read or remove.
    public Task<CommandStatus> PollAsync(CommandState state, CancellationToken cancellationToken) =>
        throw new TaskFailure(message, retryable: false);

    public Task<CommandState> CollectLogsAsync(CommandState state, CancellationToken cancellationToken) => Task.FromResult(state);

    public Task CancelAsync(CommandState state, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CleanupAsync(CommandState state, CancellationToken cancellationToken) => Task.CompletedTask;
}
