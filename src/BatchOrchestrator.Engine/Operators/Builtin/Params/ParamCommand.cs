using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators.Builtin.Params;

/// <summary>The mapping both param operators take as their command (<c>param_set&gt;: {key: value}</c>).</summary>
internal static class ParamCommand
{
    /// <summary>The command's entries, in the order written.</summary>
    /// <exception cref="TaskFailure">The command is not a mapping or has no key (a config error: not retried).</exception>
    public static IReadOnlyList<KeyValuePair<string, JsonElement>> Entries(TaskRequest request)
    {
        if (request.Command.ValueKind != JsonValueKind.Object)
        {
            throw new TaskFailure($"{request.OperatorName}>: expected a mapping of keys, got {Describe(request.Command.ValueKind)}", retryable: false);
        }

        var entries = request.Command.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.Clone())).ToList();
        if (entries.Count == 0)
        {
            throw new TaskFailure($"{request.OperatorName}>: no key is set", retryable: false);
        }

        return entries;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Undefined => "nothing",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "a mapping",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Number => "a number",
        _ => "a string",
    };
}
