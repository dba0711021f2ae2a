using System.Globalization;
using System.Text.Json;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// Reads a work operator's options as Digdag does: from the task itself, else from the param
/// named after the operator family (<c>_export: {http: {timeout: 60}}</c> sets a default for every
/// <c>http&gt;</c> below it). Every error names the option and what it expected: these are
/// mistakes in the workflow, so they are not retryable.
/// </summary>
public class OperatorOptionReader(TaskRequest request, string defaultsParam)
{
    protected TaskRequest Request { get; } = request ?? throw new ArgumentNullException(nameof(request));

    public JsonElement? Find(string option) =>
        Property(Request.Config, option)
        ?? (Property(Request.Params, defaultsParam) is { } defaults ? Property(defaults, option) : null);

    public string? String(string option) => Find(option) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } scalar => scalar.GetRawText(),
        _ => throw Fail(option, "a string"),
    };

    /// <summary>A boolean; a template may render one as the string "true"/"false".</summary>
    public bool? Boolean(string option) => Find(option) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } text when bool.TryParse(text.GetString(), out var parsed) => parsed,
        _ => throw Fail(option, "true or false"),
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
            _ => throw Fail(option, "a number of seconds"),
        };
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DurationText.TryParse(text, out var duration) && duration > TimeSpan.Zero
            ? duration
            : throw Fail(option, "a positive number of seconds (e.g. 30) or a duration like 2m", text);
    }

    /// <summary>The failure of a wrong option value (not retryable).</summary>
    public TaskFailure Fail(string option, string expected, string? got = null) =>
        new($"{Request.OperatorName}>: option '{option}' must be {expected}{(got is null ? string.Empty : $", got {got}")}", retryable: false);

    private static JsonElement? Property(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;
}
