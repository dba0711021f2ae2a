namespace BatchOrchestrator.Engine.Executors;

/// <summary>
/// Runs commands somewhere (a local process, a Kubernetes Job, an Azure Container Instance),
/// Digdag's <c>CommandExecutor</c> made non-blocking: each member is one short activity and
/// the orchestrator waits between polls on a durable timer, so no activity lasts as long as
/// the command. Every member is safe to repeat (at-least-once delivery): launching the same
/// try twice adopts the first launch.
/// </summary>
public interface ICommandExecutor
{
    /// <summary>The <c>container.executor</c> value that selects it: <c>local</c>, <c>kubernetes</c>, <c>aci</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Whether a launch delivered again (its host stopped before the first delivery's result was
    /// saved) runs the command afresh, so the records count one more try: true for an executor whose
    /// launch may finish and clean up a short command inside it (local processes); false (the default)
    /// for one whose launch adopts what an earlier delivery created (Jobs and container groups, by
    /// their deterministic names).
    /// </summary>
    bool RelaunchRunsAgain => false;

    /// <summary>Starts the command (or finds it started) and returns its state.</summary>
    Task<CommandStatus> LaunchAsync(CommandRequest request, CancellationToken cancellationToken);

    /// <summary>Where the command is now. May wait a short, bounded time for a change.</summary>
    Task<CommandStatus> PollAsync(CommandState state, CancellationToken cancellationToken);

    /// <summary>Copies new output into the task log; returns the state to use from now on (log position).</summary>
    Task<CommandState> CollectLogsAsync(CommandState state, CancellationToken cancellationToken);

    /// <summary>Stops the command if it still runs (kill, timeout).</summary>
    Task CancelAsync(CommandState state, CancellationToken cancellationToken);

    /// <summary>Releases what the command left (a finished Job, a container group, temp files).</summary>
    Task CleanupAsync(CommandState state, CancellationToken cancellationToken);
}
