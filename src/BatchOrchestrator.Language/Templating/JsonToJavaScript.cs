using System.Globalization;
using System.Text.Json;
using Jint;
using Jint.Native;
using Jint.Runtime;

namespace BatchOrchestrator.Language.Templating;

/// <summary>Builds fresh JavaScript values from JSON, so a template can never change a param another template sees.</summary>
internal static class JsonToJavaScript
{
    public static JsValue Convert(Engine engine, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return new JsValue(value.GetString()!);
            case JsonValueKind.Number:
                return new JsValue(value.GetDouble());
            case JsonValueKind.True:
                return JsValue.True;
            case JsonValueKind.False:
                return JsValue.False;
            case JsonValueKind.Object:
                var obj = engine.Object.Construct(Arguments.Empty);
                foreach (var property in value.EnumerateObject())
                {
                    obj.Put(property.Name, Convert(engine, property.Value), false);
                }

                return obj;
            case JsonValueKind.Array:
                var array = engine.Array.Construct(Arguments.Empty);
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    array.Put(index.ToString(CultureInfo.InvariantCulture), Convert(engine, item), false);
                    index++;
                }

                return array;
            default:
                return JsValue.Null;
        }
    }
}
