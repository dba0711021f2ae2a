using System.Text.Json.Nodes;
using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// Where a task lives while it runs: the plan it belongs to (the workflow's, or a dynamic
/// <c>^sub</c> plan compiled at run time), its workflow, and the folder its scripts run in.
/// </summary>
/// <param name="Plan">The plan the task belongs to.</param>
/// <param name="Workflow">The attempt's workflow (time zone, name).</param>
/// <param name="WorkingDirectory">The folder scripts run in.</param>
/// <param name="Generated">
/// For a plan compiled at run time from generated config (loop bodies, add_subtask): that
/// config, so a large group of it can be handed to sub-orchestrations in parts. Null for the
/// workflow's own plan, which sub-orchestrations read again from its revision.
/// </param>
internal sealed record TaskFrame(TaskPlan Plan, LoadedWorkflow Workflow, string WorkingDirectory, JsonObject? Generated = null)
{
    /// <summary>True when this frame runs the attempt's own workflow plan (not a called or generated one).</summary>
    public bool IsWorkflowPlan { get; init; }
}
