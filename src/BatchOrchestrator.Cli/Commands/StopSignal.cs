namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// What stopped a command that waits for an attempt: Ctrl-C (SIGINT) or SIGTERM. Both cancel the
/// command the same way; the exit code tells them apart, as shells do (128 + the signal's number).
/// </summary>
public sealed class StopSignal
{
    public const int InterruptedExitCode = 130;
    public const int TerminatedExitCode = 143;

    private volatile bool _terminated;

    /// <summary>Notes that SIGTERM arrived (the command's token is cancelled by the command line's own handler).</summary>
    public void Terminate() => _terminated = true;

    /// <summary>The exit code of a command stopped by a signal: 143 after SIGTERM, 130 after Ctrl-C.</summary>
    public int ExitCode => _terminated ? TerminatedExitCode : InterruptedExitCode;
}
