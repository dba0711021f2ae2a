using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// How the orchestrator finds what runs a task: the host's <see cref="OperatorRegistry"/> by name,
/// then by <see cref="OperatorKind"/> — the interpreter's own operators, an evaluation in the
/// orchestrator, an activity, or a command for an executor. Pure: it runs in orchestrator code.
/// </summary>
internal static class OperatorDispatch
{
    /// <summary>The task's operator; a name the host does not have fails the task (the workflow was checked against another host).</summary>
    public static OperatorDefinition Find(OperatorRegistry operators, string name) =>
        operators.Find(name) ?? throw new TaskFailure(
            $"operator {name}> is not available on this host (available: {string.Join(", ", operators.Names.Select(n => n + ">"))})", retryable: false);

    /// <summary>Evaluates an <see cref="OperatorKind.Orchestrator"/> operator on the rendered task, with its bodies as written.</summary>
    public static OrchestratorTaskResult Evaluate(OperatorDefinition definition, PlannedTask task, RenderedTask rendered)
    {
        var evaluator = definition.Evaluator ?? throw new InvalidOperationException($"{definition.Name}> is a {definition.Kind} operator, not evaluated in the orchestrator.");
        return evaluator.Evaluate(new OrchestratorTaskRequest
        {
            TaskName = task.FullName,
            OperatorName = definition.Name,
            Command = rendered.Command,
            Config = rendered.ConfigElement(),
            Do = task.Config.Get("_do")?.ToJson(),
            ElseDo = task.Config.Get("_else_do")?.ToJson(),
        });
    }
}
