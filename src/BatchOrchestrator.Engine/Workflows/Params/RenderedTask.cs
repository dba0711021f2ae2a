using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>A task's config after template evaluation, and every param it sees.</summary>
/// <param name="Params">Every param of the task, evaluated.</param>
/// <param name="Config">The task's own keys (operator, options, control keys), evaluated; bodies (<c>_do</c>, <c>_error</c>, ...) left out.</param>
/// <param name="Command">The value of the operator key (<c>sh&gt;:</c>), evaluated.</param>
/// <param name="Environment"><c>_env</c>, evaluated.</param>
public sealed record RenderedTask(ParamSet Params, JsonObject Config, JsonElement Command, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// <see cref="Config"/> as the JSON it was built from, when the builder had it (then not written
    /// out again for each request); <see cref="Config"/> is read, never changed, once built.
    /// </summary>
    public JsonElement ConfigJson { get; init; }

    /// <summary><see cref="Config"/> as a JSON element (what operator requests carry).</summary>
    public JsonElement ConfigElement() =>
        ConfigJson.ValueKind == JsonValueKind.Object ? ConfigJson : JsonSerializer.SerializeToElement(Config, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonObject);

    /// <summary>A rendered key of the task, or null.</summary>
    public JsonNode? Option(string key) => Config[key];

    /// <summary>A param as a JSON node (objects navigable), or null.</summary>
    public JsonNode? Param(string key) => Params.TryGet(key, out var value) ? JsonNode.Parse(value.GetRawText()) : null;
}
