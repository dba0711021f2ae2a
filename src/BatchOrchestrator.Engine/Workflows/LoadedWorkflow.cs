using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Model;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>A compiled workflow of a revision, and the folder its scripts run in.</summary>
public sealed record LoadedWorkflow(WorkflowDefinition Definition, TaskPlan Plan, string WorkingDirectory);
