using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// An operator evaluated inside the orchestrator (<see cref="OperatorKind.Orchestrator"/>): it turns
/// a task into a result or a task config of subtasks, as Digdag's <c>if&gt;</c> and <c>loop&gt;</c>
/// operator factories do. It runs on every replay, so it must be a pure function of its request:
/// no I/O, clock, randomness or environment. A failure the user should read is a <see cref="TaskFailure"/>.
/// </summary>
public interface IOrchestratorOperator
{
    OrchestratorTaskResult Evaluate(OrchestratorTaskRequest request);
}

/// <summary>One try of a task, as an orchestrator operator sees it (all of it from the workflow and its params: nothing read at run time).</summary>
public sealed record OrchestratorTaskRequest
{
    /// <summary>Digdag's full task name, e.g. <c>+daily+repeat</c>.</summary>
    public required string TaskName { get; init; }

    /// <summary>The operator name without <c>&gt;</c>.</summary>
    public required string OperatorName { get; init; }

    /// <summary>The operator's command (the value of <c>loop&gt;:</c>), rendered.</summary>
    public JsonElement Command { get; init; }

    /// <summary>The task's own keys (options, <c>_parallel</c>), rendered; bodies left out.</summary>
    public JsonElement Config { get; init; }

    /// <summary>The task's <c>_do</c> body as written (not rendered: its templates are evaluated in each subtask), or null.</summary>
    public JsonElement? Do { get; init; }

    /// <summary>The task's <c>_else_do</c> body as written, or null.</summary>
    public JsonElement? ElseDo { get; init; }

    /// <summary>A rendered key of the task, or null when it has none.</summary>
    public JsonElement? Option(string name) =>
        Config.ValueKind == JsonValueKind.Object && Config.TryGetProperty(name, out var value) ? value : null;
}

/// <summary>What an orchestrator operator decided: text for the task's log, and subtasks to run as its dynamic children.</summary>
public sealed record OrchestratorTaskResult
{
    public static OrchestratorTaskResult Empty { get; } = new();

    /// <summary>Written to the task's log (with the next activity call: it costs none of its own), or null.</summary>
    public string? Log { get; init; }

    /// <summary>A task config (a JSON object of <c>+tasks</c>) run as the task's <c>^sub</c> children, or null.</summary>
    public JsonElement? Subtasks { get; init; }
}
