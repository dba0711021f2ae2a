namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>The names the interpreter's activities and orchestrators are registered under, on every host.</summary>
public static class ActivityNames
{
    public const string WorkflowOrchestrator = "Workflow";
    public const string ChunkOrchestrator = "WorkflowChunk";

    public const string LoadWorkflow = "LoadWorkflow";
    public const string RunOperator = "RunOperator";
    public const string LaunchCommand = "LaunchCommand";
    public const string PollCommand = "PollCommand";
    public const string FinishCommand = "FinishCommand";
    public const string RecordTasks = "RecordTasks";
    public const string LoadResumeState = "LoadResumeState";
    public const string FinishAttempt = "FinishAttempt";
    public const string RequireSession = "RequireSession";
    public const string GetAttemptStatus = "GetAttemptStatus";
}
