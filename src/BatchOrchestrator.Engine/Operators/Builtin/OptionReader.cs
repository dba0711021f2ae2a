using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// Reads a built-in operator's options (<see cref="OperatorOptionReader"/>: from the task, else
/// from the param named after the operator — <c>_export: {mail: {from: ...}}</c> for every
/// <c>mail&gt;</c>), plus the header-like name/value pairs of <c>http&gt;</c> and <c>notify&gt;</c>.
/// </summary>
internal sealed class OptionReader(TaskRequest request, string operatorName) : OperatorOptionReader(request, operatorName)
{
    /// <summary>
    /// Name/value pairs in Digdag's shape — a list of single-key maps (<c>- Accept: text/plain</c>),
    /// which keeps order and allows repeated names — or [ours] a plain map. Values are scalars;
    /// with <paramref name="allowLists"/> a list of scalars repeats the name once per item.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs(string option, bool allowLists)
    {
        var value = Find(option);
        var shape = allowLists ? "a list of single-key maps or a map, with scalar or list values" : "a list of single-key maps (e.g. '- Accept: application/json') or a map, with scalar values";
        List<KeyValuePair<string, string>> pairs = [];
        switch (value)
        {
            case null:
                break;
            case { ValueKind: JsonValueKind.Object } map:
                foreach (var property in map.EnumerateObject())
                {
                    Add(pairs, option, property, allowLists, shape);
                }

                break;
            case { ValueKind: JsonValueKind.Array } list:
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object || item.EnumerateObject().Count() != 1)
                    {
                        throw Fail(option, shape, item.GetRawText());
                    }

                    Add(pairs, option, item.EnumerateObject().Single(), allowLists, shape);
                }

                break;
            default:
                throw Fail(option, shape, value.Value.GetRawText());
        }

        return pairs;
    }

    /// <summary>The failure of a wrong option value (not retryable).</summary>
    public TaskFailure Invalid(string option, string expected, string? got = null) => Fail(option, expected, got);

    private void Add(List<KeyValuePair<string, string>> pairs, string option, JsonProperty property, bool allowLists, string shape)
    {
        if (property.Value.ValueKind == JsonValueKind.Array && allowLists)
        {
            foreach (var item in property.Value.EnumerateArray())
            {
                pairs.Add(KeyValuePair.Create(property.Name, Scalar(item) ?? throw Fail(option, shape, item.GetRawText())));
            }

            return;
        }

        pairs.Add(KeyValuePair.Create(property.Name, Scalar(property.Value) ?? throw Fail(option, shape, property.Value.GetRawText())));
    }

    /// <summary>A scalar as text (null as empty), or null for a list or an object.</summary>
    public static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => string.Empty,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };
}
