using System.Globalization;
using System.Text.Json;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// Reads an operator's options as Digdag does: from the task itself, else from the param named
/// after the operator (<c>_export: {http: {timeout: 60}}</c> sets a default for every <c>http&gt;</c>
/// below it; <c>_export: {mail: {from: ...}}</c> for every <c>mail&gt;</c>).
/// Every error names the option and what it expected: these are mistakes in the workflow, so they
/// are not retryable.
/// </summary>
internal sealed class OptionReader(TaskRequest request, string operatorName)
{
    public JsonElement? Find(string option) =>
        Property(request.Config, option)
        ?? (Property(request.Params, operatorName) is { } defaults ? Property(defaults, option) : null);

    public string? String(string option) => Find(option) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } scalar => scalar.GetRawText(),
        _ => throw Invalid(option, "a string"),
    };

    /// <summary>A boolean; a template may render one as the string "true"/"false".</summary>
    public bool? Boolean(string option) => Find(option) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } text when bool.TryParse(text.GetString(), out var parsed) => parsed,
        _ => throw Invalid(option, "true or false"),
    };

    /// <summary>
    /// Seconds as Digdag writes them (<c>timeout: 30</c>); [ours] also a fraction of a second
    /// (<c>0.5</c>) or a duration (<c>2m</c>).
    /// </summary>
    public TimeSpan? Duration(string option)
    {
        var value = Find(option);
        if (value is null)
        {
            return null;
        }

        var text = value.Value.ValueKind switch
        {
            JsonValueKind.Number => value.Value.GetRawText(),
            JsonValueKind.String => value.Value.GetString()!.Trim(),
            _ => throw Invalid(option, "a number of seconds"),
        };
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DurationText.TryParse(text, out var duration) && duration > TimeSpan.Zero
            ? duration
            : throw Invalid(option, "a positive number of seconds (e.g. 30) or a duration like 2m", text);
    }

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

    public TaskFailure Invalid(string option, string expected, string? got = null) =>
        new($"{operatorName}>: option '{option}' must be {expected}{(got is null ? string.Empty : $", got {got}")}", retryable: false);

    private void Add(List<KeyValuePair<string, string>> pairs, string option, JsonProperty property, bool allowLists, string shape)
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

    private static JsonElement? Property(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;
}
