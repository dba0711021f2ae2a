using System.Text.Json;

namespace BatchOrchestrator.Language.Parameters;

/// <summary>Words for JSON value kinds in user-facing messages ("expected an object but got a list").</summary>
internal static class JsonKinds
{
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "list",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "missing value",
    };
}
