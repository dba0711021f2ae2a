using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BatchOrchestrator.Engine.Json;

/// <summary>
/// Compile-time JSON metadata for the loose values the engine and its hosts turn into JSON (params,
/// configs, small maps): under Native AOT there is no reflection to describe them. Default options,
/// so what is written is what <c>JsonSerializer.SerializeToElement(value)</c> wrote before. A map of
/// <see cref="object"/> may hold any of the other types listed here.
/// </summary>
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonValue))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
public sealed partial class ValuesJsonContext : JsonSerializerContext;
