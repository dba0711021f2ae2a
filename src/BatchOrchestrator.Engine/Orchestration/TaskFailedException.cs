namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// Thrown into orchestrator code when an activity or a sub-orchestration it awaited failed.
/// Its <see cref="FailureDetails"/> carry the remote error's type, message and stack.
/// </summary>
public sealed class TaskFailedException : Exception
{
    /// <summary>Creates the exception for the failed task <paramref name="taskName"/> (#<paramref name="taskId"/>).</summary>
    public TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
        : base($"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {failureDetails.ErrorType}: {failureDetails.ErrorMessage}")
    {
        TaskName = taskName;
        TaskId = taskId;
        FailureDetails = failureDetails;
    }

    /// <summary>Not meant to be used; exists for the standard exception constructors.</summary>
    public TaskFailedException() : this("unknown", -1, new TaskFailureDetails("unknown", "unknown")) { }

    /// <summary>Not meant to be used; exists for the standard exception constructors.</summary>
    public TaskFailedException(string message) : this("unknown", -1, new TaskFailureDetails("unknown", message)) { }

    /// <summary>Not meant to be used; exists for the standard exception constructors.</summary>
    public TaskFailedException(string message, Exception innerException) : base(message, innerException)
    {
        TaskName = "unknown";
        FailureDetails = TaskFailureDetails.FromException(innerException);
    }

    /// <summary>The activity or orchestrator name.</summary>
    public string TaskName { get; }

    /// <summary>The id of the task in the orchestration's history.</summary>
    public int TaskId { get; }

    /// <summary>What went wrong where the task ran.</summary>
    public TaskFailureDetails FailureDetails { get; }
}
