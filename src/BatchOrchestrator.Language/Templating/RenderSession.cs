using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Acornima;
using BatchOrchestrator.Language.Diagnostics;
using Jint;
using Jint.Native;
using Jint.Runtime;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// One render call: owns at most one Jint engine (created on first need, never shared with another
/// call or thread), so nothing a template does can leak into another render.
/// </summary>
internal sealed class RenderSession
{
    private const long MaxSafeInteger = 9007199254740991;

    private readonly TemplateEngine _owner;
    private readonly TemplateEngineOptions _options;
    private readonly RenderContext _context;
    private JintSandbox? _sandbox;

    public RenderSession(TemplateEngine owner, RenderContext context)
    {
        _owner = owner;
        _options = owner.Options;
        _context = context;
    }

    public string RenderString(string text, TemplateScope scope)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var parsed = TemplateText.Parse(text);
        if (parsed.Segments is [LiteralSegment only])
        {
            return only.Text;
        }

        var result = new StringBuilder(text.Length);
        foreach (var segment in parsed.Segments)
        {
            switch (segment)
            {
                case LiteralSegment literal:
                    result.Append(literal.Text);
                    break;
                case OperatorTemplateSegment operatorTemplate:
                    result.Append(operatorTemplate.Source);
                    break;
                case ExpressionSegment expression:
                    result.Append(Evaluate(expression, text, scope));
                    break;
            }
        }

        return result.ToString();
    }

    private string Evaluate(ExpressionSegment segment, string template, TemplateScope scope)
    {
        var info = _owner.Analyze(segment.Code);
        if (info.SyntaxError is { } reason)
        {
            throw Errors.Syntax(segment, template, reason);
        }

        if (info.SimplePath is { } path && TryReadPath(path, scope, out var direct))
        {
            return direct;
        }

        var bindings = new List<(string Name, JsonElement? Value)>(info.FreeVariables.Length);
        foreach (var name in info.FreeVariables)
        {
            if (scope.TryGet(name, out var value))
            {
                bindings.Add((name, value));
            }
            else if (!JavaScriptGlobals.Names.Contains(name))
            {
                bindings.Add((name, null));
            }
        }

        var sandbox = _sandbox ??= new JintSandbox(_options, _owner.Library, _context.TimeZone, _context.Now);
        try
        {
            var result = sandbox.Run(info, bindings, _context.CancellationToken);
            return ToText(sandbox, result, segment, template);
        }
        catch (JavaScriptException ex)
        {
            throw Errors.FromJavaScript(ex, segment, template, scope);
        }
        catch (OperationCanceledException) when (_context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (RegexMatchTimeoutException ex)
        {
            throw Errors.Limit(segment, template, $"ran a regular expression for more than {_options.RegexTimeout.TotalMilliseconds:0} ms (a pattern that backtracks, such as /(a+)+$/?)", ex);
        }
        catch (TimeoutException ex)
        {
            throw Errors.Limit(segment, template, $"did not finish within {_options.Timeout.TotalMilliseconds:0} ms", ex);
        }
        catch (StatementsCountOverflowException ex)
        {
            throw Errors.Limit(segment, template, $"ran more than {_options.MaxStatements:N0} JavaScript statements", ex);
        }
        catch (RecursionDepthOverflowException ex)
        {
            throw Errors.Limit(segment, template, $"nested function calls deeper than {_options.MaxRecursionDepth}", ex);
        }
        catch (MemoryLimitExceededException ex) when (ex.Message.Contains("array size", StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.Limit(segment, template, $"made an array longer than {_options.MaxArrayLength:N0} elements", ex);
        }
        catch (MemoryLimitExceededException ex)
        {
            throw Errors.Limit(segment, template, $"allocated more than {_options.MaxAllocatedBytes / (1024.0 * 1024):0.#} MiB", ex);
        }
        catch (OutOfMemoryException ex)
        {
            throw Errors.Limit(segment, template, "needed more memory than the host has", ex);
        }
        catch (ParseErrorException ex)
        {
            // eval() and Function() parse at run time.
            throw Errors.Script(segment, template, $"SyntaxError: {ex.Description ?? ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not TemplateException and not OperationCanceledException)
        {
            // Anything else the interpreter throws is still the template's fault, not the host's.
            throw Errors.Script(segment, template, $"the JavaScript engine failed ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    private string ToText(JintSandbox sandbox, JsValue value, ExpressionSegment segment, string template)
    {
        if (value.IsUndefined() || value.IsNull())
        {
            return string.Empty;
        }

        if (value.IsString())
        {
            return value.AsString();
        }

        if (value is Jint.Native.Function.Function)
        {
            throw Errors.Script(segment, template, "it evaluated to a function, which has no text; did you mean to call it with ()?", null);
        }

        var json = sandbox.Stringify(value, _context.CancellationToken);
        return json.IsUndefined() ? string.Empty : json.AsString();
    }

    // Plain reads such as ${session_date} or ${error.message} are most templates; answering them from the
    // JSON directly skips the interpreter. Anything JavaScript would treat specially falls back to Jint.
    private static bool TryReadPath(IReadOnlyList<string> path, TemplateScope scope, out string text)
    {
        text = string.Empty;
        if (!scope.TryGet(path[0], out var current))
        {
            return false;
        }

        for (var i = 1; i < path.Count; i++)
        {
            if (current.ValueKind != JsonValueKind.Object || path[i] == "__proto__" || !current.TryGetProperty(path[i], out current))
            {
                return false;
            }
        }

        switch (current.ValueKind)
        {
            case JsonValueKind.String:
                text = current.GetString()!;
                return true;
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.True:
                text = "true";
                return true;
            case JsonValueKind.False:
                text = "false";
                return true;
            case JsonValueKind.Number when current.TryGetInt64(out var number) && Math.Abs(number) <= MaxSafeInteger:
                text = number.ToString(CultureInfo.InvariantCulture);
                return true;
            default:
                return false;
        }
    }

    internal static class Errors
    {
        private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

        public static TemplateException Syntax(ExpressionSegment segment, string template, string reason) =>
            new(TemplateErrorKind.Syntax, $"Template {Where(segment, template)} is not a valid JavaScript expression: {reason}.", template, segment.Source);

        public static TemplateException Limit(ExpressionSegment segment, string template, string what, Exception inner) =>
            new(TemplateErrorKind.LimitExceeded, $"Template {Where(segment, template)} {what}; a template must be a short expression (does it loop forever?).", template, segment.Source, inner: inner);

        public static TemplateException Script(ExpressionSegment segment, string template, string what, Exception? inner) =>
            new(TemplateErrorKind.ScriptError, $"Template {Where(segment, template)} failed: {what}", template, segment.Source, inner: inner);

        public static TemplateException FromJavaScript(JavaScriptException ex, ExpressionSegment segment, string template, TemplateScope scope)
        {
            var error = ex.Error;
            var name = error.IsObject() ? error.AsObject().Get("name") : JsValue.Undefined;
            var message = error.IsObject() ? error.AsObject().Get("message") : JsValue.Undefined;
            var text = message.IsString() ? message.AsString() : string.Empty;
            const string notDefined = " is not defined";
            if (name.IsString() && name.AsString() == "ReferenceError" && text.EndsWith(notDefined, StringComparison.Ordinal))
            {
                var variable = text[..^notDefined.Length];
                var hint = Suggestions.DidYouMean(variable, scope.Names);
                return new TemplateException(
                    TemplateErrorKind.UndefinedVariable,
                    $"Template {Where(segment, template)} uses the variable '{variable}', which is not defined{(hint.Length == 0 ? "." : hint)} " +
                    $"Define it as a param (for example in _export, or with -p {variable}=...), or test for it with typeof {variable} === 'undefined'.",
                    template,
                    segment.Source,
                    variable,
                    ex);
            }

            string what;
            if (name.IsString())
            {
                what = text.Length > 0
                    ? $"{name.AsString()}: {text}"
                    : name.AsString() == "TypeError" ? "TypeError (reading a property of null or undefined?)" : name.AsString();
            }
            else
            {
                what = $"it threw {(error.IsString() ? $"'{error.AsString()}'" : error.ToString())}";
            }

            return Script(segment, template, what, ex);
        }

        private static string Where(ExpressionSegment segment, string template)
        {
            var expression = Shorten(segment.Source);
            return template == segment.Source ? expression : $"{expression} (in \"{Shorten(template)}\")";
        }
    }
}
