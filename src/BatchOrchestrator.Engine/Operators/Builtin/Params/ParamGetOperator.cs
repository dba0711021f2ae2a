using BatchOrchestrator.Language.Operators;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Operators.Builtin.Params;

/// <summary>
/// <c>param_get&gt;: {stored_key: param_name, ...}</c> — Digdag's operator: reads each key from the
/// project's <see cref="IParamStore"/> and stores its value as the store param
/// <c>param_name</c>, which every later task sees as <c>${param_name}</c>.
/// </summary>
/// <remarks>
/// As in Digdag, a key that was never set is not an error: its param is set to the empty string,
/// so a later <c>${param_name}</c> renders as nothing rather than failing the workflow.
/// Read-only, so safe to repeat.
/// </remarks>
public sealed class ParamGetOperator(IParamStore store) : IOperator
{
    public static OperatorDescription Description { get; } = new("param_get", "reads persistent params") 
    {
        // Digdag's two forms: the keys as the command, or beside an empty operator key.
        CommandType = OptionType.Mapping, CommandRequired = false, PassesParams = true, Example = "param_get>: {key: param_name}",
        Validator = new ParamCommand.Validator(),
    };

    public string Name => "param_get";

    public async Task<TaskResult> RunAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var targets = ParamCommand.Entries(request).Select(entry => (Key: entry.Key, Param: ParamName(request, entry))).ToList();
        var found = await store.GetAsync(request.Log.Project, targets.Select(t => t.Key).ToList(), cancellationToken);
        var stored = new JsonObject();
        foreach (var (key, param) in targets)
        {
            stored[param] = found.TryGetValue(key, out var value) ? JsonSerializer.SerializeToNode(value, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonElement) : JsonValue.Create(string.Empty);
        }

        return new TaskResult { StoreParams = JsonSerializer.SerializeToElement(stored, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonObject) };
    }

    private static string ParamName(TaskRequest request, KeyValuePair<string, JsonElement> entry) =>
        entry.Value.ValueKind == JsonValueKind.String && entry.Value.GetString() is { Length: > 0 } name
            ? name
            : throw new TaskFailure(
                $"{request.OperatorName}>: key '{entry.Key}' must map to the name of the param to store it as, got {ParamCommand.Describe(entry.Value.ValueKind)}",
                retryable: false);
}
