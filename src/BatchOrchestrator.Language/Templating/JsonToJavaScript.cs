using System.Text.Json;
using Jint;
using Jint.Native;

namespace BatchOrchestrator.Language.Templating;

/// <summary>Builds fresh JavaScript values from JSON, so a template can never change a param another template sees.</summary>
internal static class JsonToJavaScript
{
    public static JsValue Convert(Engine engine, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return JsString.Create(value.GetString()!);
            case JsonValueKind.Number:
                return JsNumber.Create(value.GetDouble());
            case JsonValueKind.True:
                return JsBoolean.True;
            case JsonValueKind.False:
                return JsBoolean.False;
            case JsonValueKind.Object:
                var obj = new JsObject(engine);
                foreach (var property in value.EnumerateObject())
                {
                    obj.FastSetDataProperty(property.Name, Convert(engine, property.Value));
                }

                return obj;
            case JsonValueKind.Array:
                var items = new JsValue[value.GetArrayLength()];
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    items[index++] = Convert(engine, item);
                }

                return new JsArray(engine, items);
            default:
                return JsValue.Null;
        }
    }
}
