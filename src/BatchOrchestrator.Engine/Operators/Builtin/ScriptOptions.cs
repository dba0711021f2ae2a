using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// Options of scripting operators, looked up as Digdag does: on the task itself (<c>shell:</c>,
/// <c>python:</c>), else under the operator's name in the params (<c>_export: {sh: {shell: ...}}</c>).
/// </summary>
internal static class ScriptOptions
{
    /// <summary>The option as a list of strings (a single string is a one-item list), or null when not set.</summary>
    /// <exception cref="TaskFailure">The option is set but is not a string or a list of strings.</exception>
    public static IReadOnlyList<string>? StringList(TaskRequest request, string operatorName, string option)
    {
        var value = Find(request, operatorName, option);
        return value switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } text => [text.GetString()!],
            { ValueKind: JsonValueKind.Array } list when list.GetArrayLength() > 0
                && list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                => [.. list.EnumerateArray().Select(e => e.GetString()!)],
            _ => throw new TaskFailure($"{operatorName}>: option '{option}' must be a string or a non-empty list of strings.", retryable: false),
        };
    }

    /// <summary>The task's <c>container:</c> settings (on the task, else from the params), or undefined.</summary>
    public static JsonElement? Container(TaskRequest request) =>
        Property(request.Config, "container") ?? Property(request.Params, "container");

    /// <summary>
    /// The command (the value of <c>op&gt;:</c>) as a non-empty string. A plain YAML scalar that
    /// reads as a number or boolean (<c>sh&gt;: true</c>) is the text as written, as in Digdag.
    /// </summary>
    public static string Command(TaskRequest request, string operatorName, string expected)
    {
        var text = request.Command.ValueKind switch
        {
            JsonValueKind.String => request.Command.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => request.Command.GetRawText(),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TaskFailure($"{operatorName}>: expects {expected}.", retryable: false);
        }

        return text;
    }

    private static JsonElement? Find(TaskRequest request, string operatorName, string option) =>
        Property(request.Config, option)
        ?? (Property(request.Config, operatorName) is { } own ? Property(own, option) : null)
        ?? (Property(request.Params, operatorName) is { } exported ? Property(exported, option) : null);

    private static JsonElement? Property(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;
}
