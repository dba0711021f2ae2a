using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Telemetry;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Workflows.Execution;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// The one orchestrator of the product, written once against <see cref="IOrchestrationContext"/>
/// and hosted by the embedded runtime and by Azure Durable Functions alike. Register
/// <see cref="RunAsync"/> as <see cref="ActivityNames.WorkflowOrchestrator"/> and
/// <see cref="RunChunkAsync"/> as <see cref="ActivityNames.ChunkOrchestrator"/>, and the
/// activities of <see cref="WorkflowActivities"/> under their <see cref="ActivityNames"/>.
/// Deterministic: it only reads its input and its history (a revision's workflow files come from
/// the <see cref="ActivityNames.LoadWorkflow"/> activity); <c>OrchestratorPurityTests</c> check
/// everything it can call.
/// </summary>
public sealed class WorkflowOrchestrator(WorkflowServices services)
{
    /// <summary>
    /// Runs an attempt to its end; a failed workflow is an outcome, not an exception. So is a
    /// fault of the interpreter itself (a chunk orchestration that failed, an activity result it
    /// rejects): the attempt is recorded as failed with the error, on its workflow's root task.
    /// </summary>
    public async Task<AttemptOutcome> RunAsync(IOrchestrationContext context, AttemptInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SetCustomStatus(AttemptCustomStatus.Of(input));
        var telemetry = OrchestrationTelemetry.ForAttempt(context, input, services.Telemetry);
        telemetry.AttemptStarted();
        LoadedWorkflow workflow;
        try
        {
            workflow = await WorkflowLoading.LoadAsync(context, services, input.Plan);
            input.Selection?.Resolve(workflow.Plan);
        }
        catch (WorkflowLanguageException error)
        {
            await context.CallActivityAsync<bool>(ActivityNames.FinishAttempt, new FinishAttemptInput(input.AttemptId, AttemptStatus.Error, context.CurrentUtcDateTime));
            telemetry.AttemptFinished(succeeded: false, error.Message);
            return new AttemptOutcome(false, [new TaskError("+" + input.Plan.WorkflowName, error.Message)]);
        }

        TaskOutcome outcome;
        TaskError? fault = null;
        AttemptExecution? execution = null;
        try
        {
            var reusable = await LoadReusableAsync(context, input, workflow.Plan);
            execution = new AttemptExecution(context, input, services, reusable, telemetry: telemetry);
            outcome = await RunWorkflowAsync(context, execution, workflow);
        }
        catch (Exception error) when (OrchestratorFaults.EndsTheAttempt(error))
        {
            // Nothing else would record the attempt's end: it would stay running for good.
            fault = new TaskError(workflow.Plan.Root.FullName, OrchestratorFaults.Message(error));
            OrchestratorLog.AttemptFailed(context.CreateReplaySafeLogger(typeof(WorkflowOrchestrator).FullName!), error, input.AttemptId);
            outcome = TaskOutcome.Failure(StoreParams.Empty, [fault]);
            if (execution is not null)
            {
                await execution.SaveRecordsAfterFaultAsync();
            }
        }

        await context.CallActivityAsync<bool>(
            ActivityNames.FinishAttempt,
            new FinishAttemptInput(input.AttemptId, outcome.Succeeded ? AttemptStatus.Success : AttemptStatus.Error, context.CurrentUtcDateTime, fault));
        telemetry.AttemptFinished(outcome.Succeeded, outcome.Succeeded ? null : outcome.ErrorMessage);
        return outcome.Succeeded ? AttemptOutcome.Success : new AttemptOutcome(false, outcome.Errors);
    }

    private static async Task<TaskOutcome> RunWorkflowAsync(IOrchestrationContext context, AttemptExecution execution, LoadedWorkflow workflow)
    {
        var frame = new TaskFrame(workflow.Plan, workflow, workflow.WorkingDirectory) { IsWorkflowPlan = true };
        var run = execution.RunTaskAsync(frame, workflow.Plan.Root, ParamScope.Empty);
        var sla = await execution.Sla.WatchAsync(frame, run, context.CurrentUtcDateTime);
        var outcome = await run;
        if (sla == SlaResult.MissedAndFailed)
        {
            outcome = TaskOutcome.Failure(outcome.Store, [.. outcome.Errors, SlaWatch.Failure(workflow.Plan)]);
        }

        await execution.Notifier.NotifyAttemptAsync(frame, outcome);
        await execution.Recorder.DrainAsync();
        return outcome;
    }

    /// <summary>Runs some children of a large group (see <see cref="ChunkInput"/>).</summary>
    public async Task<TaskOutcome> RunChunkAsync(IOrchestrationContext context, ChunkInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SetCustomStatus(AttemptCustomStatus.Of(input));
        var workflow = await WorkflowLoading.LoadAsync(context, services, input.Attempt.Plan);
        var reusable = await LoadReusableAsync(context, input.Attempt, workflow.Plan);
        var telemetry = OrchestrationTelemetry.ForChunk(context, input, services.Telemetry);
        var execution = new AttemptExecution(context, input.Attempt, services, reusable, new AttemptClock(input.Clock, input.Lane), telemetry);
        TaskFrame frame;
        IReadOnlyList<PlannedTask> children;
        if (input.PlanChildIndexes is { } indexes)
        {
            frame = new TaskFrame(workflow.Plan, workflow, input.WorkingDirectory) { IsWorkflowPlan = true };
            children = indexes.Select(i => workflow.Plan[i]).ToList();
        }
        else
        {
            var generated = System.Text.Json.Nodes.JsonNode.Parse(input.GeneratedChildren!.Value.GetRawText())!.AsObject();
            var mapping = (MappingNode)ConfigNodeJson.FromJson(input.GeneratedChildren!.Value, workflow.Plan.Root.Location);
            var diagnostics = new DiagnosticBag();
            var definition = services.Parser.ParseTask("^sub", mapping, diagnostics);
            var plan = TaskPlanCompiler.CompileTree(definition, input.GroupName, workflow.Definition.Name);
            frame = new TaskFrame(plan, workflow, input.WorkingDirectory, generated);
            children = plan.NormalChildren(plan.Root).ToList();
        }

        TaskOutcome outcome;
        try
        {
            outcome = await execution.Groups.RunChildrenAsync(frame, input.GroupName, children, input.Parallel, input.Limit, input.Scope);
        }
        catch (Exception error) when (OrchestratorFaults.EndsTheAttempt(error))
        {
            // The fault goes up to the attempt, which ends; what this chunk's tasks did is recorded first.
            await execution.SaveRecordsAfterFaultAsync();
            telemetry.ChunkFinished(input.GroupName, succeeded: false, OrchestratorFaults.Message(error));
            throw;
        }

        telemetry.ChunkFinished(input.GroupName, outcome.Succeeded, outcome.Succeeded ? null : outcome.ErrorMessage);

        // One batch rides up to the parent; what does not fit is written here, before the chunk ends.
        var writes = execution.Recorder.Take();
        await execution.Recorder.AwaitScheduledAsync();
        return outcome with { Writes = writes, Clock = execution.Clock.Now };
    }

    /// <summary>The tasks of the attempt resumed from that this one may reuse (none of those its selection runs again).</summary>
    private static async Task<IReadOnlyDictionary<string, TaskRecord>> LoadReusableAsync(IOrchestrationContext context, AttemptInput input, TaskPlan plan)
    {
        if (input.Resume == ResumeMode.None || input.ResumeFromAttemptId is null)
        {
            return new Dictionary<string, TaskRecord>();
        }

        var state = await context.CallActivityAsync<ResumeState>(
            ActivityNames.LoadResumeState,
            new LoadResumeStateInput(input.ResumeFromAttemptId, input.Resume, input.ResumeFromTask));
        return TaskSelection.WithoutForced(state.SucceededTasks.ToDictionary(t => t.TaskName, StringComparer.Ordinal), plan, input.Selection);
    }
}
