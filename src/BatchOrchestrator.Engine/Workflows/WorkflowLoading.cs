using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>How orchestrator code gets a compiled workflow: its files from an activity, compiled in memory.</summary>
internal static class WorkflowLoading
{
    /// <summary>
    /// The workflow; a WorkflowLanguageException when it is missing or invalid (at once), a
    /// <see cref="TaskFailedException"/> when the store stayed unreachable through every retry.
    /// </summary>
    public static async Task<LoadedWorkflow> LoadAsync(IOrchestrationContext context, WorkflowServices services, PlanReference reference)
    {
        var source = await context.CallActivityAsync<WorkflowSource>(ActivityNames.LoadWorkflow, reference, new TaskOptions(services.Options.LoadWorkflowRetry));
        return await services.Workflows.CompileAsync(source);
    }
}
