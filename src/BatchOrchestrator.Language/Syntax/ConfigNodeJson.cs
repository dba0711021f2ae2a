using System.Text.Json;
using BatchOrchestrator.Language.Diagnostics;

namespace BatchOrchestrator.Language.Syntax;

/// <summary>
/// Builds config trees from JSON: task configs produced at run time (a py> <c>add_subtask</c>, a
/// stored plan) go through the same parser and validator as files. Every node carries the
/// location of the thing that produced it, since JSON has no lines of its own.
/// </summary>
public static class ConfigNodeJson
{
    public static ConfigNode FromJson(JsonElement element, SourceLocation origin)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<ConfigEntry>();
                foreach (var property in element.EnumerateObject())
                {
                    entries.Add(new ConfigEntry(new ScalarNode(property.Name, ScalarStyle.Quoted, origin), FromJson(property.Value, origin)));
                }

                return new MappingNode(entries, origin);
            case JsonValueKind.Array:
                return new SequenceNode(element.EnumerateArray().Select(e => FromJson(e, origin)).ToList(), origin);
            case JsonValueKind.String:
                return new ScalarNode(element.GetString()!, ScalarStyle.Quoted, origin);
            case JsonValueKind.Number:
                return new ScalarNode(element.GetRawText(), ScalarStyle.Plain, origin);
            case JsonValueKind.True:
                return new ScalarNode("true", ScalarStyle.Plain, origin);
            case JsonValueKind.False:
                return new ScalarNode("false", ScalarStyle.Plain, origin);
            default:
                return new ScalarNode("null", ScalarStyle.Plain, origin);
        }
    }
}
