namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// A task failed for a reason the user should read (a non-zero exit, an HTTP 500, <c>fail&gt;</c>):
/// the message is shown as the task's error and passed to <c>_error</c> tasks as
/// <c>${error.message}</c>. Unlike other exceptions it carries no stack trace to the user.
/// </summary>
public sealed class TaskFailure : Exception
{
    public TaskFailure(string message, bool retryable = true)
        : base(message)
    {
        Retryable = retryable;
    }

    public TaskFailure(string message, Exception inner)
        : base(message, inner)
    {
        Retryable = true;
    }

    /// <summary>False when retrying cannot help (a config error): <c>_retry</c> is then not applied.</summary>
    public bool Retryable { get; }

    /// <summary>
    /// Where the user's code failed, in its own language (a Python traceback), given to
    /// <c>_error</c> tasks as <c>${error.stacktrace}</c>; null when the failure has none.
    /// </summary>
    public string? Traceback { get; init; }
}
