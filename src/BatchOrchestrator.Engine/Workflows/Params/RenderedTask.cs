using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>A task's config after template evaluation, and every param it sees.</summary>
public sealed record RenderedTask(JsonObject Params, JsonObject Config, JsonElement Command, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>A rendered option of the task, or null.</summary>
    public JsonNode? Option(string key) => Config[key];
}
