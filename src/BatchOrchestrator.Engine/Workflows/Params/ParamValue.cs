using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// A param value and when it was set. "When" is a logical sequence number the interpreter hands
/// out deterministically; between an <c>_export</c> and a stored param, the later one wins.
/// </summary>
public sealed record ParamValue(JsonElement Value, long Sequence);

/// <summary>JSON helpers for params: deep merge as Digdag merges stored objects.</summary>
public static class ParamJson
{
    public static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    public static bool IsObject(JsonElement element) => element.ValueKind == JsonValueKind.Object;

    /// <summary>Objects merge key by key (recursively); anything else is replaced by <paramref name="over"/>.</summary>
    public static JsonElement DeepMerge(JsonElement under, JsonElement over)
    {
        if (under.ValueKind != JsonValueKind.Object || over.ValueKind != JsonValueKind.Object)
        {
            return over;
        }

        var result = (JsonObject)JsonNode.Parse(under.GetRawText())!;
        foreach (var property in over.EnumerateObject())
        {
            result[property.Name] = result[property.Name] is JsonObject existing && property.Value.ValueKind == JsonValueKind.Object
                ? JsonNode.Parse(DeepMerge(ToElement(existing), property.Value).GetRawText())
                : JsonNode.Parse(property.Value.GetRawText());
        }

        return ToElement(result);
    }

    public static JsonElement ToElement(JsonNode? node) =>
        node is null ? JsonDocument.Parse("null").RootElement.Clone() : JsonSerializer.SerializeToElement(node);

    public static JsonElement FromString(string value) => JsonSerializer.SerializeToElement(value);
}
