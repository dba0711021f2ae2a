using BatchOrchestrator.Language.Operators;
using System.Text.Json;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Operators.Builtin.Params;

/// <summary>
/// <c>param_set&gt;: {key: value, ...}</c> — Digdag's operator: saves each value (already rendered,
/// any JSON) under its key in the project's <see cref="IParamStore"/>, for later sessions and other
/// workflows of the project to read with <c>param_get&gt;</c>. Stores no params itself.
/// </summary>
/// <remarks>
/// Safe to repeat: a second run of the activity writes the same values again. All keys of one
/// task are written in one transaction.
/// </remarks>
public sealed class ParamSetOperator(IParamStore store) : IOperator
{
    public static OperatorDescription Description { get; } = new("param_set", "writes persistent params") 
    {
        // Digdag's two forms: the keys as the command, or beside an empty operator key.
        CommandType = OptionType.Mapping, CommandRequired = false, PassesParams = true, Example = "param_set>: {key: value}",
        Validator = new ParamCommand.Validator(),
    };

    public string Name => "param_set";

    public async Task<TaskResult> RunAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = new Dictionary<string, JsonElement>(ParamCommand.Entries(request), StringComparer.Ordinal);
        await store.SetAsync(request.Log.Project, values, cancellationToken);
        return TaskResult.Empty;
    }

}
