namespace BatchOrchestrator.Engine.Workflows;

/// <summary>The end of an attempt: success, or the failed tasks with their errors.</summary>
public sealed record AttemptOutcome(bool Succeeded, IReadOnlyList<TaskError> Errors)
{
    public static AttemptOutcome Success { get; } = new(true, []);
}

/// <summary>
/// A task that failed and why (the user-facing message), with where the user's code failed
/// (a Python traceback) when the failure tells.
/// </summary>
/// <remarks>Written only when there is one: an outcome crosses orchestrations, and most failures have none.</remarks>
public sealed record TaskError(
    string TaskName,
    string Message,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? StackTrace = null);
