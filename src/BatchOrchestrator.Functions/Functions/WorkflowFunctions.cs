using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Functions.Adapters;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace BatchOrchestrator.Functions.Functions;

/// <summary>
/// The interpreter's orchestrators and activities as Durable functions: one per entry of the
/// engine's <see cref="WorkflowFunctionTable"/> (which the embedded runtime registers as data), each
/// forwarding to <see cref="WorkflowOrchestrator"/> or <see cref="WorkflowActivities"/>. They are
/// written out because the Functions SDK generates functions.metadata from the attributes;
/// <c>HarnessTests</c> checks they are the table's set, with its names and types.
/// </summary>
public sealed class WorkflowFunctions(WorkflowOrchestrator orchestrator, WorkflowActivities activities, DurableClientSource clients)
{
    [Function(ActivityNames.WorkflowOrchestrator)]
    public Task<AttemptOutcome> Workflow([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return orchestrator.RunAsync(new DurableOrchestrationContext(context), Input<AttemptInput>(context));
    }

    [Function(ActivityNames.ChunkOrchestrator)]
    public Task<TaskOutcome> WorkflowChunk([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return orchestrator.RunChunkAsync(new DurableOrchestrationContext(context), Input<ChunkInput>(context));
    }

    [Function(ActivityNames.LoadWorkflow)]
    public Task<WorkflowSource> LoadWorkflow([ActivityTrigger] PlanReference input, CancellationToken cancellationToken) =>
        activities.LoadWorkflowAsync(input, cancellationToken);

    [Function(ActivityNames.RunOperator)]
    public Task<TaskResult> RunOperator([ActivityTrigger] RunOperatorInput input, CancellationToken cancellationToken) =>
        activities.RunOperatorAsync(input, cancellationToken);

    [Function(ActivityNames.LaunchCommand)]
    public Task<CommandStatus> LaunchCommand([ActivityTrigger] LaunchCommandInput input, CancellationToken cancellationToken) =>
        activities.LaunchCommandAsync(input, cancellationToken);

    [Function(ActivityNames.PollCommand)]
    public Task<CommandStatus> PollCommand([ActivityTrigger] CommandStateInput input, CancellationToken cancellationToken) =>
        activities.PollCommandAsync(input, cancellationToken);

    [Function(ActivityNames.FinishCommand)]
    public Task<bool> FinishCommand([ActivityTrigger] CommandStateInput input, CancellationToken cancellationToken) =>
        activities.FinishCommandAsync(input, cancellationToken);

    [Function(ActivityNames.RecordTasks)]
    public Task<bool> RecordTasks([ActivityTrigger] RecordTasksInput input, CancellationToken cancellationToken) =>
        activities.RecordTasksAsync(input, cancellationToken);

    [Function(ActivityNames.LoadResumeState)]
    public Task<ResumeState> LoadResumeState([ActivityTrigger] LoadResumeStateInput input, CancellationToken cancellationToken) =>
        activities.LoadResumeStateAsync(input, cancellationToken);

    [Function(ActivityNames.FinishAttempt)]
    public Task<bool> FinishAttempt([ActivityTrigger] FinishAttemptInput input, CancellationToken cancellationToken) =>
        activities.FinishAttemptAsync(input, cancellationToken);

    /// <summary>
    /// Starts (or finds) the session <c>require&gt;</c> waits for. It binds its own client: on an
    /// instance that has just started or scaled out, no HTTP or timer function may have run yet.
    /// </summary>
    [Function(ActivityNames.RequireSession)]
    public Task<string> RequireSession([ActivityTrigger] RequireSessionInput input, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        clients.Bind(client);
        return activities.RequireSessionAsync(input, cancellationToken);
    }

    [Function(ActivityNames.GetAttemptStatus)]
    public Task<AttemptStatus> GetAttemptStatus([ActivityTrigger] AttemptStatusInput input, CancellationToken cancellationToken) =>
        activities.GetAttemptStatusAsync(input, cancellationToken);

    private static T Input<T>(TaskOrchestrationContext context) =>
        context.GetInput<T>() ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no {typeof(T).Name} input.");
}
