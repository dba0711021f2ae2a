using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// Builds the params of one task from its layers (Language's <see cref="TaskParamResolver"/>:
/// session params lowest, then exports and stores by sequence, then the task's own keys, built-ins
/// over all) and evaluates its config with the sandboxed template engine. Pure: the same inputs
/// give the same result, so it runs in orchestrator code.
/// </summary>
public sealed class TaskParamsBuilder(TemplateEngine templates)
{
    /// <summary>
    /// Bodies run later; never evaluated before their operator or handler runs. A workflow's
    /// <c>schedule:</c> and <c>sla:</c> are not params (as in Digdag): the scheduler and the SLA
    /// timer read them, and <c>sla:</c>'s tasks render when they run.
    /// </summary>
    private static readonly HashSet<string> Deferred = ["_do", "_else_do", "_error", "_check", "_export", "schedule", "sla"];

    // What a task's config contributes before any param is known, worked out once per config
    // (configs are immutable; plans are shared by every orchestration of a revision).
    private readonly ConditionalWeakTable<MappingNode, ConfigKeys> _keys = new();

    /// <param name="now">What <c>moment()</c> and <c>new Date()</c> read: the orchestration's time, the same on every replay.</param>
    /// <param name="cancellationToken">Stops an evaluation in progress (the orchestration's turn was given up: a kill).</param>
    /// <exception cref="TemplateException">A template is wrong (the task fails with its message).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public RenderedTask Build(MappingNode config, ParamScope scope, ParamSet sessionParams, ParamSet builtIns, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var keys = _keys.GetValue(config, ConfigKeys.Of);
        var stores = scope.Store.ToLayers();

        // The resolver orders contributions by number: each sequence's rank among those this task
        // sees. Equal sequences keep equal ranks, so the resolver still refuses them.
        var ranks = scope.Exports.Select(e => e.Sequence).Concat(stores.Select(s => s.Sequence)).Distinct().Order()
            .Select((sequence, rank) => (sequence, rank))
            .ToDictionary(r => r.sequence, r => (long)r.rank);
        var layers = new TaskParamLayers(
            new LocalParams(keys.Local),
            scope.Exports.Select(e => new ExportedParams(ranks[e.Sequence], ParamSet.FromJson(e.Values))).ToList(),
            stores.Select(s => new StoredParams(ranks[s.Sequence], s.Values)).ToList());
        var parameters = templates.RenderParams(TaskParamResolver.Resolve(layers, sessionParams, builtIns), now, cancellationToken);

        // Keys without "${" render to themselves: no renderer to build for them. The task's own
        // params were rendered with the params, key by key; rendering them again would apply a key
        // that reads its inherited value twice (x: ${x}!).
        // The keys' JSON is read as it is (the operator's value, _env), not parsed again from its text;
        // the object callers get over it is built when first read (JsonObject.Create wraps the element).
        var evaluated = keys.HasTemplates ? templates.RenderJson(keys.Json, parameters, keys.RenderedWithParams(builtIns), now, cancellationToken) : keys.Json;
        var command = JsonValues.Null;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in evaluated.EnumerateObject())
        {
            if (property.Name.EndsWith('>') || property.Name == "_command")
            {
                command = property.Value;
            }
            else if (property.Name == "_env" && property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var variable in property.Value.EnumerateObject())
                {
                    environment[variable.Name] = variable.Value.ValueKind switch
                    {
                        JsonValueKind.String => variable.Value.GetString()!,
                        JsonValueKind.Null => string.Empty,
                        _ => JsonNode.Parse(variable.Value.GetRawText())!.ToJsonString(), // rare: as a node writes it
                    };
                }
            }
        }

        return new RenderedTask(parameters, JsonObject.Create(evaluated)!, command, environment) { ConfigJson = evaluated };
    }

    /// <summary>A config's own keys (operator, options, control keys; no bodies or subtasks) as one JSON object, and its local params.</summary>
    private sealed record ConfigKeys(ParamSet Local, JsonElement Json, bool HasTemplates)
    {
        /// <summary>Own params holding templates that the params' rendering evaluated (a built-in of the same name replaces the param, not the key).</summary>
        public IReadOnlySet<string> RenderedWithParams(ParamSet builtIns) =>
            Local.Where(p => !builtIns.ContainsKey(p.Key) && p.Value.GetRawText().Contains('$', StringComparison.Ordinal))
                .Select(p => p.Key)
                .ToHashSet(StringComparer.Ordinal);

        public static ConfigKeys Of(MappingNode config)
        {
            // Each key's value written once into one object (a mapping's keys are unique: the parser
            // refuses a repeated one), not parsed into nodes and serialized again.
            var local = new List<KeyValuePair<string, JsonElement>>();
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var entry in config.Entries)
                {
                    if (entry.Name.StartsWith('+') || Deferred.Contains(entry.Name))
                    {
                        continue;
                    }

                    var value = entry.Value.ToJson();
                    if (!entry.Name.StartsWith('_') && !entry.Name.EndsWith('>'))
                    {
                        local.Add(KeyValuePair.Create(entry.Name, value));
                    }

                    writer.WritePropertyName(entry.Name);
                    value.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            return new ConfigKeys(ParamSet.From(local), document.RootElement.Clone(), buffer.WrittenSpan.Contains((byte)'$'));
        }
    }
}
