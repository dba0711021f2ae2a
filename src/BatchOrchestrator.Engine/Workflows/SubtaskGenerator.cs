using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// Turns loop>, for_each>, for_range> into the task config Digdag generates for them: one
/// child per iteration, each the <c>_do</c> body with the iteration's params exported
/// (<c>${i}</c>, the for_each keys, <c>${range.from}</c>...). Pure, so it runs in orchestrator code.
/// </summary>
internal static class SubtaskGenerator
{
    public static JsonObject Loop(JsonNode? count, JsonNode body, JsonNode? parallel)
    {
        var n = ToInteger(count, "loop>");
        if (n < 0)
        {
            throw new TaskFailure($"loop>: expected a number ≥ 0, got {n}", retryable: false);
        }

        var iterations = Enumerable.Range(0, (int)n).Select(i => ($"+loop-{i}", new JsonObject { ["i"] = i }));
        return Build(iterations, body, parallel);
    }

    public static JsonObject ForEach(JsonNode? spec, JsonNode body, JsonNode? parallel)
    {
        // As Digdag's parseNested: a whole-command template (for_each>: ${fruits}) renders its map as JSON text.
        var keys = spec switch
        {
            JsonObject mapping => mapping,
            JsonValue text when text.TryGetValue<string>(out var json) && ParseJsonObject(json) is { } parsed => parsed,
            _ => throw new TaskFailure($"for_each>: expected a mapping of names to lists of values, got {spec?.ToJsonString() ?? "nothing"}", retryable: false),
        };

        var axes = new List<(string Key, List<JsonNode?> Values)>();
        foreach (var (key, value) in keys)
        {
            var values = value switch
            {
                JsonArray array => array.Select(v => v?.DeepClone()).ToList(),
                JsonValue text when text.TryGetValue<string>(out var s) => ParseJsonArray(key, s),
                _ => throw new TaskFailure($"for_each>: {key}: expected a list of values, got {value?.ToJsonString() ?? "null"}", retryable: false),
            };
            axes.Add((key, values));
        }

        var combinations = new List<List<(string Key, int Index, JsonNode? Value)>> { new() };
        foreach (var (key, values) in axes)
        {
            combinations = combinations.SelectMany(c => values.Select((v, i) => new List<(string, int, JsonNode?)>(c) { (key, i, v) })).ToList();
        }

        var iterations = combinations.Select(combination =>
        {
            var name = ForEachName(combination);
            var export = new JsonObject();
            foreach (var (key, _, value) in combination)
            {
                export[key] = value?.DeepClone();
            }

            return (name, export);
        });
        return Build(iterations, body, parallel);
    }

    public static JsonObject ForRange(JsonNode? spec, JsonNode body, JsonNode? parallel)
    {
        if (spec is not JsonObject range)
        {
            throw new TaskFailure("for_range>: expected from, to and step or slices", retryable: false);
        }

        // Digdag reads from, to, step and slices as whole numbers, and a slice's size rounds up.
        var from = ToInteger(range["from"], "for_range>.from");
        var to = ToInteger(range["to"], "for_range>.to");
        long step;
        if (range["slices"] is { } slicesNode)
        {
            var slices = ToInteger(slicesNode, "for_range>.slices");
            if (slices <= 0)
            {
                throw new TaskFailure("for_range>.slices: expected a number ≥ 1", retryable: false);
            }

            step = (to - from + (slices - 1)) / slices;
        }
        else
        {
            step = ToInteger(range["step"], "for_range>.step");
        }

        if (step <= 0)
        {
            throw new TaskFailure($"for_range>: the step must be positive, got {step}", retryable: false);
        }

        var iterations = new List<(string, JsonObject)>();
        var index = 0;
        for (var start = from; start < to; start += step, index++)
        {
            var end = Math.Min(start + step, to);
            iterations.Add((ForRangeName(start, end), new JsonObject
            {
                ["range"] = new JsonObject { ["from"] = start, ["to"] = end, ["index"] = index },
            }));
        }

        return Build(iterations, body, parallel);
    }

    private static JsonObject Build(IEnumerable<(string Name, JsonObject Export)> iterations, JsonNode body, JsonNode? parallel)
    {
        var result = new JsonObject();
        if (parallel is not null)
        {
            result["_parallel"] = RenderedParallel(parallel);
        }

        foreach (var (name, export) in iterations)
        {
            var child = body.DeepClone().AsObject();
            var merged = child["_export"] is JsonObject existing ? (JsonObject)existing.DeepClone() : new JsonObject();
            foreach (var (key, value) in export)
            {
                merged[key] = value?.DeepClone();
            }

            child.Remove("_export");
            var ordered = new JsonObject { ["_export"] = merged };
            foreach (var (key, value) in child)
            {
                ordered[key] = value?.DeepClone();
            }

            result[name] = ordered;
        }

        return result;
    }

    /// <summary>
    /// A loop's <c>_parallel</c> after rendering: a <c>${...}</c> template renders to text, which
    /// Digdag reads as a boolean, so "true"/"false" become booleans and other text fails the task.
    /// </summary>
    private static JsonNode RenderedParallel(JsonNode parallel) =>
        parallel is JsonValue value && value.TryGetValue<string>(out var text)
            ? text switch
            {
                "true" or "True" => JsonValue.Create(true),
                "false" or "False" => JsonValue.Create(false),
                _ => throw new TaskFailure($"_parallel: expected true, false or {{limit: N}}, got '{text}'", retryable: false),
            }
            : parallel.DeepClone();

    private static JsonObject? ParseJsonObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<JsonNode?> ParseJsonArray(string key, string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonArray array
                ? array.Select(v => v?.DeepClone()).ToList()
                : throw new TaskFailure($"for_each>: {key}: expected a JSON array, got {text}", retryable: false);
        }
        catch (JsonException)
        {
            throw new TaskFailure($"for_each>: {key}: expected a list or a JSON array, got {text}", retryable: false);
        }
    }

    /// <summary>Digdag's name for a <c>for_range&gt;</c> child: <c>+range-from=0&amp;to=10</c>.</summary>
    internal static string ForRangeName(long from, long to) =>
        string.Create(CultureInfo.InvariantCulture, $"+range-from={from}&to={to}");

    /// <summary>
    /// Digdag's name for a <c>for_each&gt;</c> child: for each key, its position, its name, the
    /// value's position and the value, each name cut to 8 characters and URL-encoded
    /// (<c>+for-0=fruit=1=banana&amp;1=verb=0=eat</c>).
    /// </summary>
    private static string ForEachName(List<(string Key, int Index, JsonNode? Value)> combination) =>
        "+for-" + string.Join("&", combination.Select((pair, keyIndex) =>
            $"{keyIndex}={NameTag(pair.Key)}={pair.Index}={NameTag(NameOf(pair.Value))}"));

    private static string NameOf(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "null";

    /// <summary>
    /// A value as Digdag puts it into a generated name: its first 8 characters, URL-encoded as
    /// Java's <c>URLEncoder</c> does (letters, digits and <c>.-*_</c> kept), with a space as
    /// <c>%20</c> since <c>+</c> starts a task name.
    /// </summary>
    private static string NameTag(string text)
    {
        var cut = text.Length > 8 ? text[..8] : text;
        var builder = new System.Text.StringBuilder();
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(cut))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static long ToInteger(JsonNode? node, string what)
    {
        var number = ToNumber(node, what);
        return number == Math.Floor(number) ? (long)number : throw new TaskFailure($"{what}: expected a whole number, got {number}", retryable: false);
    }

    private static double ToNumber(JsonNode? node, string what)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue<double>(out var d))
            {
                return d;
            }

            if (value.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out d))
            {
                return d;
            }
        }

        throw new TaskFailure($"{what}: expected a number, got {node?.ToJsonString() ?? "nothing"}", retryable: false);
    }
}
