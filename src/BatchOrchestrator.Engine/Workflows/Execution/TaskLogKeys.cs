using System.Globalization;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>Where a task try's log is: named by project, workflow, session, attempt, task and try.</summary>
internal static class TaskLogKeys
{
    public static TaskLogKey For(AttemptInput input, TaskFrame frame, string taskName, int tryNumber) =>
        new(input.ProjectName, frame.Workflow.Definition.Name, new Sessions.SessionKey(input.ProjectName, frame.Workflow.Definition.Name, input.SessionTime).SessionTimeText,
            string.IsNullOrEmpty(input.RetryAttemptName) ? "attempt-" + input.AttemptNumber.ToString(CultureInfo.InvariantCulture) : input.RetryAttemptName,
            taskName, tryNumber);
}
