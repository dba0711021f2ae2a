using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Model;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>A compiled workflow of a revision, and the folder its scripts run in.</summary>
public sealed record LoadedWorkflow(WorkflowDefinition Definition, TaskPlan Plan, string WorkingDirectory);

/// <summary>
/// Gives the interpreter compiled workflows. Revisions are immutable, so answers are a pure
/// function of the reference: that is what makes reading them from orchestrator code
/// deterministic (it is synchronous and must be cached — orchestrator code may not await I/O).
/// </summary>
public interface IWorkflowPlanSource
{
    /// <summary>The workflow; throws a WorkflowLanguageException when it does not exist or is invalid.</summary>
    LoadedWorkflow Get(PlanReference reference);
}
