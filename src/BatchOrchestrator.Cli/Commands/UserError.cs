namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// A mistake the user can fix (a bad argument, an unknown attempt): commands print its message
/// alone, never a stack trace, and exit with <see cref="ExitCode"/>.
/// </summary>
public sealed class UserError(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
