namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// A <see cref="TaskFailure"/> that retrying cannot fix, as it crosses an activity boundary:
/// orchestrations see only an exception's type and message, so the type carries "do not retry".
/// The interpreter turns it back into a non-retryable <see cref="TaskFailure"/>.
/// </summary>
public sealed class PermanentTaskFailure(string message) : Exception(message);
