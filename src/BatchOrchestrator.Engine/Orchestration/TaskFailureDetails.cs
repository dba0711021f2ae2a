namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// A failure as it is stored in history and carried across processes: the error type (the
/// full .NET type name of the exception), its message, its stack trace and the inner failure.
/// </summary>
public sealed record TaskFailureDetails(
    string ErrorType,
    string ErrorMessage,
    string? StackTrace = null,
    TaskFailureDetails? InnerFailure = null)
{
    /// <summary>The details of an exception, its inner exceptions included.</summary>
    public static TaskFailureDetails FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is TaskFailedException failed)
        {
            // Nesting keeps the original cause visible through layers of orchestrations.
            return new(exception.GetType().FullName!, exception.Message, exception.StackTrace, failed.FailureDetails);
        }

        return new(
            exception.GetType().FullName!,
            exception.Message,
            exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException));
    }

    /// <summary>True when this failure, or one it wraps, has the given exception type.</summary>
    public bool IsCausedBy<TException>() where TException : Exception =>
        ErrorType == typeof(TException).FullName || (InnerFailure?.IsCausedBy<TException>() ?? false);

    /// <inheritdoc/>
    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}
