using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Runtime.Registration;

/// <summary>Registers the workflow interpreter's orchestrators and activities on the embedded runtime, under the names every host uses.</summary>
public static class WorkflowRegistration
{
    /// <summary>Adds <see cref="ActivityNames.WorkflowOrchestrator"/>, <see cref="ActivityNames.ChunkOrchestrator"/> and every activity of <paramref name="activities"/>.</summary>
    public static OrchestrationRegistry AddWorkflows(this OrchestrationRegistry registry, WorkflowOrchestrator orchestrator, WorkflowActivities activities)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(orchestrator);
        ArgumentNullException.ThrowIfNull(activities);
        return registry
            .AddOrchestrator<AttemptInput, AttemptOutcome>(ActivityNames.WorkflowOrchestrator, orchestrator.RunAsync)
            .AddOrchestrator<ChunkInput, TaskOutcome>(ActivityNames.ChunkOrchestrator, orchestrator.RunChunkAsync)
            .AddActivity<PlanReference, WorkflowSource>(ActivityNames.LoadWorkflow, (_, input, ct) => activities.LoadWorkflowAsync(input, ct))
            .AddActivity<RunOperatorInput, TaskResult>(ActivityNames.RunOperator, (_, input, ct) => activities.RunOperatorAsync(input, ct))
            .AddActivity<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, (_, input, ct) => activities.LaunchCommandAsync(input, ct))
            .AddActivity<CommandStateInput, CommandStatus>(ActivityNames.PollCommand, (_, input, ct) => activities.PollCommandAsync(input, ct))
            .AddActivity<CommandStateInput, bool>(ActivityNames.FinishCommand, (_, input, ct) => activities.FinishCommandAsync(input, ct))
            .AddActivity<RecordTasksInput, bool>(ActivityNames.RecordTasks, (_, input, ct) => activities.RecordTasksAsync(input, ct))
            .AddActivity<LoadResumeStateInput, ResumeState>(ActivityNames.LoadResumeState, (_, input, ct) => activities.LoadResumeStateAsync(input, ct))
            .AddActivity<FinishAttemptInput, bool>(ActivityNames.FinishAttempt, (_, input, ct) => activities.FinishAttemptAsync(input, ct))
            .AddActivity<RequireSessionInput, string>(ActivityNames.RequireSession, (_, input, ct) => activities.RequireSessionAsync(input, ct))
            .AddActivity<AttemptStatusInput, Engine.Stores.AttemptStatus>(ActivityNames.GetAttemptStatus, (_, input, ct) => activities.GetAttemptStatusAsync(input, ct));
    }
}
