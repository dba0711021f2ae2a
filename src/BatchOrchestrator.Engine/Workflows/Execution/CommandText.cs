using System.Text.Json;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>An operator's rendered command as text, as the control operators read it.</summary>
internal static class CommandText
{
    /// <summary>A string as is, nothing as empty, anything else as its JSON.</summary>
    public static string Of(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Undefined or JsonValueKind.Null => string.Empty,
        _ => element.GetRawText(),
    };
}
