using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// Builds the params of one task and evaluates its config, with Digdag's precedence: session
/// params lowest; then <c>_export</c>s and stored params, the later-set winning; then the task's
/// own keys (evaluated in file order, each seeing the ones before it); built-ins over all.
/// Templates in exported values are evaluated here, lazily, in the task that uses them.
/// Pure: the same inputs give the same result, so it runs in orchestrator code.
/// </summary>
public sealed class TaskParamsBuilder(ITemplateRenderer renderer)
{
    /// <summary>Keys of a task config that are bodies run later, never evaluated before their operator runs.</summary>
    private static readonly HashSet<string> Deferred = ["_do", "_else_do", "_error", "_check"];

    public RenderedTask Build(MappingNode config, ParamScope scope, JsonElement sessionParams, JsonObject builtIns)
    {
        var context = new JsonObject();
        if (sessionParams.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in sessionParams.EnumerateObject())
            {
                context[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        var inherited = scope.Exports
            .SelectMany(layer => layer.Values.EnumerateObject().Select(p => (p.Name, p.Value, layer.Sequence, Exported: true)))
            .Concat(scope.Store.Values.Select(kv => (Name: kv.Key, kv.Value.Value, kv.Value.Sequence, Exported: false)))
            .OrderBy(e => e.Sequence);
        var pendingTemplates = new List<string>();
        foreach (var (name, value, _, exported) in inherited)
        {
            context[name] = JsonNode.Parse(value.GetRawText());
            if (exported && value.ValueKind is JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Array)
            {
                pendingTemplates.Remove(name);
                pendingTemplates.Add(name);
            }
        }

        SetBuiltIns(context, builtIns);
        foreach (var name in pendingTemplates)
        {
            if (!builtIns.ContainsKey(name))
            {
                context[name] = RenderNode(context[name], context);
            }
        }

        var rendered = new JsonObject();
        var command = default(JsonElement);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in config.Entries)
        {
            if (Deferred.Contains(entry.Name) || entry.Name.StartsWith('+'))
            {
                continue;
            }

            var value = RenderNode(JsonNode.Parse(entry.Value.ToJson().GetRawText()), context);
            rendered[entry.Name] = value;
            if (entry.Name.EndsWith('>') || entry.Name == "_command")
            {
                command = ParamJson.ToElement(value);
            }
            else if (entry.Name == "_env" && value is JsonObject env)
            {
                foreach (var (key, envValue) in env)
                {
                    environment[key] = envValue is JsonValue v && v.TryGetValue<string>(out var text) ? text : envValue?.ToJsonString() ?? string.Empty;
                }
            }
            else if (!entry.Name.StartsWith('_') && !builtIns.ContainsKey(entry.Name))
            {
                context[entry.Name] = value?.DeepClone();
            }
        }

        SetBuiltIns(context, builtIns);
        return new RenderedTask(context, rendered, command, environment);
    }

    /// <summary>Evaluates every string inside a JSON value.</summary>
    public JsonNode? RenderNode(JsonNode? node, JsonObject context)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                return renderer.HasTemplate(text) ? JsonValue.Create(renderer.Render(text, context)) : value.DeepClone();
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    result[key] = RenderNode(child, context);
                }

                return result;
            case JsonArray array:
                return new JsonArray(array.Select(item => RenderNode(item, context)).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    private static void SetBuiltIns(JsonObject context, JsonObject builtIns)
    {
        foreach (var (key, value) in builtIns)
        {
            context[key] = value?.DeepClone();
        }
    }
}
