using BatchOrchestrator.Engine.Orchestration;
using Microsoft.Extensions.Logging;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// Exceptions that escape the interpreter: not a task's failure (that is an outcome) but a defect
/// or a broken contract — an activity's result the orchestrator rejects, a chunk orchestration
/// that failed. They end the attempt as failed, with their message.
/// </summary>
internal static class OrchestratorFaults
{
    /// <summary>
    /// What hosts throw through orchestrator code to steer it: Durable Task aborts a session
    /// (host shutdown, a lost lease) and reports a replay that diverged from history with these.
    /// Recording the attempt as failed then would be wrong — the host runs the orchestration again.
    /// The Engine knows them by name only: it does not reference the hosts.
    /// </summary>
    private static readonly HashSet<string> HostExceptions = new(StringComparer.Ordinal)
    {
        "DurableTask.Core.Exceptions.SessionAbortedException",
        "DurableTask.Core.Exceptions.NonDeterministicOrchestrationException",
        "BatchOrchestrator.Runtime.Execution.NonDeterministicOrchestrationException",
    };

    /// <summary>True for an exception that should end the attempt as failed; false for one the host uses.</summary>
    public static bool EndsTheAttempt(Exception error) => !HostExceptions.Contains(error.GetType().FullName ?? string.Empty);

    /// <summary>The exception a finished task ended with, if it ended with one the interpreter cannot turn into an outcome.</summary>
    public static Exception? Of(Task task) =>
        task.IsCanceled ? new TaskCanceledException(task)
        : task.Exception?.InnerException is { } error && EndsTheAttempt(error) ? error
        : null;

    /// <summary>
    /// The error recorded for the attempt and the tasks the fault went through: the original
    /// exception, also when it comes through layers of chunk orchestrations (each one wraps its
    /// child's failure).
    /// </summary>
    public static string Message(Exception error)
    {
        var cause = error is TaskFailedException failed ? Innermost(failed.FailureDetails) : new TaskFailureDetails(error.GetType().FullName!, error.Message);
        return $"the workflow engine failed: {cause.ErrorType}: {cause.ErrorMessage}";
    }

    private static TaskFailureDetails Innermost(TaskFailureDetails details)
    {
        while (details.InnerFailure is { } inner && details.ErrorType == typeof(TaskFailedException).FullName)
        {
            details = inner;
        }

        return details;
    }
}

internal static partial class OrchestratorLog
{
    /// <summary>The stack of a fault: the attempt's records keep only its message.</summary>
    [LoggerMessage(Level = LogLevel.Error, Message = "Attempt {AttemptId} failed in the workflow engine; it is recorded as failed")]
    public static partial void AttemptFailed(ILogger logger, Exception error, string attemptId);
}
