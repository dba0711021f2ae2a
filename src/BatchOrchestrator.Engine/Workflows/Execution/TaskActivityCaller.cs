using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>
/// How a task's activities are called: with the records and log lines pending (so recording costs
/// no activity of its own), and with a failed activity turned into the task's
/// <see cref="TaskFailure"/> — retryable or not, as the activity said.
/// </summary>
internal sealed class TaskActivityCaller(IOrchestrationContext context, TaskRecorder recorder)
{
    /// <summary>
    /// Calls an activity carrying the pending records and log lines (or, for an input that cannot
    /// carry them, after flushing them); a failed activity becomes the task's <see cref="TaskFailure"/>.
    /// </summary>
    public async Task<T> CallAsync<T>(string activity, object input)
    {
        if (input is CarriesWrites carrier)
        {
            input = carrier with { Writes = recorder.Take() };
        }
        else
        {
            recorder.Flush();
        }

        try
        {
            return await context.CallActivityAsync<T>(activity, input);
        }
        catch (TaskFailedException failed)
        {
            var details = failed.FailureDetails;
            if (details.ErrorType == typeof(PermanentTaskFailure).FullName)
            {
                throw new TaskFailure(details.ErrorMessage, retryable: false);
            }

            var userFacing = details.ErrorType == typeof(TaskFailure).FullName;
            throw new TaskFailure(userFacing ? details.ErrorMessage : $"{details.ErrorType}: {details.ErrorMessage}");
        }
    }
}
