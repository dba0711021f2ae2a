using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Engine.Operators.Builtin.Control;

/// <summary>Reads of rendered values shared by the control operators.</summary>
internal static class ControlValues
{
    /// <summary>A command as text: a string as it is, nothing as empty, anything else as its JSON.</summary>
    public static string Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Undefined or JsonValueKind.Null => string.Empty,
        _ => element.GetRawText(),
    };

    public static JsonNode? Node(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText());

    public static JsonNode? Node(JsonElement? element) => element is { } value ? Node(value) : null;

    /// <summary>The <c>_do</c> body a repeating operator needs.</summary>
    public static JsonNode Body(OrchestratorTaskRequest request) =>
        Node(request.Do) ?? throw new TaskFailure($"{request.OperatorName}> needs a _do: block", retryable: false);

    public static JsonElement ToElement(JsonObject subtasks) => JsonSerializer.SerializeToElement(subtasks, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonObject);
}
