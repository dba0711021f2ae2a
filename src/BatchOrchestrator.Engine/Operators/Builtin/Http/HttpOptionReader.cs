using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators.Builtin.Http;

/// <summary>
/// Reads <c>http&gt;</c> options (defaults from the <c>http</c> param), including its header-like
/// name/value pairs.
/// </summary>
internal sealed class HttpOptionReader(TaskRequest request) : OperatorOptionReader(request, "http")
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
                        throw Invalid(option, shape, item.GetRawText());
                    }

                    Add(pairs, option, item.EnumerateObject().Single(), allowLists, shape);
                }

                break;
            default:
                throw Invalid(option, shape, value.Value.GetRawText());
        }

        return pairs;
    }

    public static TaskFailure Invalid(string option, string expected, string? got = null) =>
        new($"http>: option '{option}' must be {expected}{(got is null ? string.Empty : $", got {got}")}", retryable: false);

    private static void Add(List<KeyValuePair<string, string>> pairs, string option, JsonProperty property, bool allowLists, string shape)
    {
        if (property.Value.ValueKind == JsonValueKind.Array && allowLists)
        {
            foreach (var item in property.Value.EnumerateArray())
            {
                pairs.Add(KeyValuePair.Create(property.Name, Scalar(item) ?? throw Invalid(option, shape, item.GetRawText())));
            }

            return;
        }

        pairs.Add(KeyValuePair.Create(property.Name, Scalar(property.Value) ?? throw Invalid(option, shape, property.Value.GetRawText())));
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
