using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>Session params as attempts take them: a JSON object.</summary>
public static class SessionParams
{
    /// <summary><paramref name="overrides"/> merged over <paramref name="original"/> (a JSON object or nothing), key by key.</summary>
    public static JsonElement Merge(JsonElement? original, JsonObject? overrides)
    {
        var merged = original is { ValueKind: JsonValueKind.Object } o ? JsonNode.Parse(o.GetRawText())!.AsObject() : [];
        foreach (var (key, value) in overrides ?? [])
        {
            merged[key] = value?.DeepClone();
        }

        return JsonSerializer.SerializeToElement(merged, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonObject);
    }
}
