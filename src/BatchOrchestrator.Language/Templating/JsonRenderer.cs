using System.Text.Json;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Language.Templating;

/// <summary>Renders the strings of a JSON value with Digdag's scoping (earlier keys of the same object are visible).</summary>
internal sealed class JsonRenderer(RenderSession session)
{
    private static readonly string[] NotEvaluatedKeys = ["_do", "_else_do"];

    /// <summary>Renders <paramref name="value"/>; the top-level keys named in <paramref name="rendered"/> are taken from it as they are.</summary>
    public JsonElement Render(JsonElement value, TemplateScope scope, RenderedParams? rendered = null) => value.ValueKind switch
    {
        _ when !value.GetRawText().Contains('$', StringComparison.Ordinal) => JsonValues.Detach(value),
        JsonValueKind.String => JsonValues.String(session.RenderString(value.GetString()!, scope)),
        JsonValueKind.Object => RenderObject(value, scope, rendered),
        JsonValueKind.Array => RenderArray(value, scope, scope),
        _ => JsonValues.Detach(value),
    };

    /// <summary>Renders a list whose strings see <paramref name="stringScope"/> and whose objects start afresh from <paramref name="paramScope"/>.</summary>
    public JsonElement RenderArray(JsonElement array, TemplateScope stringScope, TemplateScope paramScope)
    {
        var items = new List<JsonElement>();
        foreach (var item in array.EnumerateArray())
        {
            items.Add(item.ValueKind switch
            {
                JsonValueKind.String => JsonValues.String(session.RenderString(item.GetString()!, stringScope)),
                JsonValueKind.Object => RenderObject(item, paramScope, null),
                JsonValueKind.Array => RenderArray(item, stringScope, paramScope),
                _ => item,
            });
        }

        return JsonValues.Build(writer =>
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                item.WriteTo(writer);
            }

            writer.WriteEndArray();
        });
    }

    private JsonElement RenderObject(JsonElement obj, TemplateScope paramScope, RenderedParams? alreadyRendered)
    {
        var built = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var order = new List<string>();
        var scope = new OverlayScope(built, paramScope);
        foreach (var property in obj.EnumerateObject())
        {
            var value = property.Value;
            JsonElement rendered;
            if (NotEvaluatedKeys.Contains(property.Name, StringComparer.Ordinal))
            {
                rendered = value;
            }
            else if (alreadyRendered is not null && alreadyRendered.TryGet(property.Name, out var param))
            {
                rendered = param;
            }
            else
            {
                rendered = value.ValueKind switch
                {
                    JsonValueKind.String => JsonValues.String(session.RenderString(value.GetString()!, scope)),
                    JsonValueKind.Object => RenderObject(value, paramScope, null),
                    JsonValueKind.Array => RenderArray(value, scope, paramScope),
                    _ => value,
                };
            }

            if (!built.ContainsKey(property.Name))
            {
                order.Add(property.Name);
            }

            built[property.Name] = rendered;
        }

        return JsonValues.Build(writer =>
        {
            writer.WriteStartObject();
            foreach (var name in order)
            {
                writer.WritePropertyName(name);
                built[name].WriteTo(writer);
            }

            writer.WriteEndObject();
        });
    }
}

/// <summary>Params rendered already, and which of a config's keys are them.</summary>
internal sealed record RenderedParams(ParamSet Values, IReadOnlySet<string> Keys)
{
    public bool TryGet(string key, out JsonElement value)
    {
        value = default;
        return Keys.Contains(key) && Values.TryGet(key, out value);
    }
}
