using System.Text.Json;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// Everything an operator needs to run one try of one task: the rendered config (templates
/// evaluated), the effective params, and where to write its log. Small and serializable: it
/// crosses the activity boundary.
/// </summary>
public sealed record TaskRequest
{
    /// <summary>The attempt's durable instance id.</summary>
    public required string AttemptId { get; init; }

    /// <summary>Digdag's full task name, e.g. <c>+daily+load</c>.</summary>
    public required string TaskName { get; init; }

    /// <summary>0 for the first try, then 1, 2, ... for retries.</summary>
    public int Try { get; init; }

    /// <summary>The operator name without <c>&gt;</c>, e.g. <c>sh</c>.</summary>
    public required string OperatorName { get; init; }

    /// <summary>The operator's command (the value of <c>sh&gt;:</c>), rendered.</summary>
    public JsonElement Command { get; init; }

    /// <summary>The task's own keys (operator options), rendered.</summary>
    public JsonElement Config { get; init; }

    /// <summary>Every param the task sees (built-ins, exports, store, local), rendered.</summary>
    public JsonElement Params { get; init; }

    /// <summary><c>_env</c>, rendered; values may still hold <c>${secret:...}</c> for the operator to resolve.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The folder of the workflow file: scripts run there.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Where this try's log goes.</summary>
    public required TaskLogKey Log { get; init; }

    /// <summary>The task's timeout, if any.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The state a polling operator returned with <see cref="TaskResult.PollAgain"/> on its previous
    /// run of this try; null on the first run.
    /// </summary>
    public JsonElement? PollState { get; init; }
}
