using System.Collections.Immutable;

namespace BatchOrchestrator.Language.Templating;

/// <summary>Names ES5 and the bundled libraries (moment.js) define globally; a template using them does not use a param.</summary>
internal static class JavaScriptGlobals
{
    public static ImmutableHashSet<string> Names { get; } = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Infinity", "NaN", "undefined", "eval", "parseInt", "parseFloat", "isNaN", "isFinite",
        "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape",
        "Object", "Function", "Array", "String", "Boolean", "Number", "Math", "Date", "RegExp", "JSON",
        "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError",
        TemplateLibrary.MomentName);
}
