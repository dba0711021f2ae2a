using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>An orchestrator as data: it reads its own input from its context.</summary>
public sealed record OrchestratorEntry(string Name, Type InputType, Type OutputType, Func<IOrchestrationContext, Task<object?>> RunAsync);

/// <summary>An activity as data: its input arrives deserialized as <see cref="InputType"/>.</summary>
public sealed record ActivityEntry(string Name, Type InputType, Type OutputType, Func<object?, CancellationToken, Task<object?>> RunAsync);

/// <summary>
/// The interpreter's orchestrators and activities under the names every host registers them
/// with (<see cref="ActivityNames"/>). The embedded runtime registers this table generically; the
/// Functions app declares one function per entry (its SDK needs them as attributes), and a test
/// checks both are the same set, names and types.
/// </summary>
public sealed class WorkflowFunctionTable
{
    private WorkflowFunctionTable(IReadOnlyList<OrchestratorEntry> orchestrators, IReadOnlyList<ActivityEntry> activities)
    {
        Orchestrators = orchestrators;
        Activities = activities;
    }

    public IReadOnlyList<OrchestratorEntry> Orchestrators { get; }

    public IReadOnlyList<ActivityEntry> Activities { get; }

    public static WorkflowFunctionTable Of(WorkflowOrchestrator orchestrator, WorkflowActivities activities)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        ArgumentNullException.ThrowIfNull(activities);
        return new WorkflowFunctionTable(
            [
                Orchestrator<AttemptInput, AttemptOutcome>(ActivityNames.WorkflowOrchestrator, orchestrator.RunAsync),
                Orchestrator<ChunkInput, TaskOutcome>(ActivityNames.ChunkOrchestrator, orchestrator.RunChunkAsync),
            ],
            [
                Activity<PlanReference, WorkflowSource>(ActivityNames.LoadWorkflow, activities.LoadWorkflowAsync),
                Activity<RunOperatorInput, TaskResult>(ActivityNames.RunOperator, activities.RunOperatorAsync),
                Activity<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, activities.LaunchCommandAsync),
                Activity<CommandStateInput, CommandStatus>(ActivityNames.PollCommand, activities.PollCommandAsync),
                Activity<CommandStateInput, bool>(ActivityNames.FinishCommand, activities.FinishCommandAsync),
                Activity<RecordTasksInput, bool>(ActivityNames.RecordTasks, activities.RecordTasksAsync),
                Activity<LoadResumeStateInput, ResumeState>(ActivityNames.LoadResumeState, activities.LoadResumeStateAsync),
                Activity<FinishAttemptInput, bool>(ActivityNames.FinishAttempt, activities.FinishAttemptAsync),
                Activity<RequireSessionInput, string>(ActivityNames.RequireSession, activities.RequireSessionAsync),
                Activity<AttemptStatusInput, AttemptStatus>(ActivityNames.GetAttemptStatus, activities.GetAttemptStatusAsync),
            ]);
    }

    private static OrchestratorEntry Orchestrator<TInput, TOutput>(string name, Func<IOrchestrationContext, TInput, Task<TOutput>> run) =>
        new(name, typeof(TInput), typeof(TOutput), async context => await run(context, context.GetInput<TInput>()!));

    private static ActivityEntry Activity<TInput, TOutput>(string name, Func<TInput, CancellationToken, Task<TOutput>> run) =>
        new(name, typeof(TInput), typeof(TOutput), async (input, cancellationToken) => await run((TInput)input!, cancellationToken));
}
