using System.Collections.Concurrent;
using System.Text.Json;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// Evaluates <c>${...}</c> templates as JavaScript (ES5, Jint 2.10.4 — the language level of Digdag's
/// Nashorn) with the params as global variables.
/// </summary>
/// <remarks>
/// <para>Rules: a string result is inserted as is; <c>null</c>/<c>undefined</c> insert nothing; anything
/// else is <c>JSON.stringify</c>-ed (<c>${1+1}</c> → <c>2</c>, objects → compact JSON). <c>$$</c> is a
/// literal <c>$</c>. <c>${secret:key}</c> (any <c>${word:...}</c>) is left exactly as written for the
/// operator. See <see cref="TemplateText"/> for the lexical rules.</para>
/// <para>Guarantees: templates are sandboxed (no CLR access, time/statement/recursion/allocation limits
/// from <see cref="TemplateEngineOptions"/>); every render call uses its own interpreter, so a template
/// cannot affect another render; results depend only on the template and the params (the JavaScript
/// clock zone is UTC and the culture invariant). Every user mistake surfaces as a
/// <see cref="TemplateException"/>. Thread-safe: one instance may serve many threads.</para>
/// <para>Deliberate difference from Digdag: Digdag's scanner treats <c>$${x}</c> as <c>$</c> followed by
/// <c>${x}</c>; here it is the literal text <c>${x}</c>, as the language documentation promises.</para>
/// </remarks>
public sealed class TemplateEngine
{
    private readonly ConcurrentDictionary<string, ExpressionInfo> _analyzed = new(StringComparer.Ordinal);

    /// <summary>An engine with the given limits (<see cref="TemplateEngineOptions.Default"/> when null).</summary>
    public TemplateEngine(TemplateEngineOptions? options = null)
    {
        Options = options ?? TemplateEngineOptions.Default;
    }

    /// <summary>The sandbox limits in force.</summary>
    public TemplateEngineOptions Options { get; }

    /// <summary>Renders one string. A string without <c>$</c> is returned unchanged without any parsing.</summary>
    /// <exception cref="TemplateException">The template is invalid, uses an undefined variable, throws, or exceeds a limit.</exception>
    public string Render(string template, ParamSet parameters)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(parameters);
        return new RenderSession(this).RenderString(template, new ParamScope(parameters));
    }

    /// <summary>
    /// Renders every string inside <paramref name="value"/> (objects and lists, recursively); other values
    /// are kept. Rendered strings stay strings (<c>"${1+1}"</c> becomes <c>"2"</c>). As in Digdag, a string
    /// in an object also sees the already-rendered keys written before it in the same object, and values
    /// under <c>_do</c> and <c>_else_do</c> are not rendered (their operator renders them per iteration).
    /// </summary>
    /// <exception cref="TemplateException">As for <see cref="Render"/>.</exception>
    public JsonElement RenderJson(JsonElement value, ParamSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new JsonRenderer(new RenderSession(this)).Render(value, new ParamScope(parameters));
    }

    /// <summary>
    /// Evaluates the templates of a task's effective params (see <see cref="TaskParamResolver"/>) and returns
    /// the final params. Only <see cref="EffectiveParams.TemplateSites"/> are evaluated — text from the
    /// workflow — never stored, session or built-in values. A template may use any other param, including
    /// one that is itself a template (it is evaluated first, on demand, whatever the order), so an
    /// <c>_export</c> such as <c>day: ${session_date}</c> is evaluated in each task against that task's params.
    /// </summary>
    /// <exception cref="TemplateException">As for <see cref="Render"/>, or <see cref="TemplateErrorKind.Cycle"/> when params refer to each other in a cycle.</exception>
    public ParamSet RenderParams(EffectiveParams effective)
    {
        ArgumentNullException.ThrowIfNull(effective);
        // Nothing to evaluate (most tasks: no "${" in their params): the values are the result
        // as they are, without copying every param into a renderer and back.
        return effective.TemplateSites.IsEmpty
            ? effective.Values
            : new ParamRenderer(new RenderSession(this), effective).RenderAll();
    }

    /// <summary>
    /// The variables <paramref name="template"/> reads — the free identifiers of its expressions, in order of
    /// first use, without JavaScript's own globals (<c>Math</c>, <c>JSON</c>, ...), property names or
    /// locals of functions inside it. <c>bo check</c> prints them as "params used".
    /// </summary>
    /// <exception cref="TemplateException">An expression is not valid JavaScript.</exception>
    public IReadOnlyList<string> ReferencedVariables(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var names = new List<string>();
        foreach (var expression in TemplateText.Parse(template).Expressions)
        {
            var info = Analyze(expression.Code);
            if (info.SyntaxError is { } reason)
            {
                throw RenderSession.Errors.Syntax(expression, template, reason);
            }

            names.AddRange(info.FreeVariables.Where(n => !JavaScriptGlobals.Names.Contains(n) && !names.Contains(n, StringComparer.Ordinal)));
        }

        return names;
    }

    /// <summary>The variables read by every string inside <paramref name="value"/>, as for the string overload.</summary>
    /// <exception cref="TemplateException">An expression is not valid JavaScript.</exception>
    public IReadOnlyList<string> ReferencedVariables(JsonElement value)
    {
        var names = new List<string>();
        Collect(value);
        return names;

        void Collect(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    names.AddRange(ReferencedVariables(element.GetString()!).Where(n => !names.Contains(n, StringComparer.Ordinal)));
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Collect(property.Value);
                    }

                    break;
            }
        }
    }

    internal ExpressionInfo Analyze(string code)
    {
        if (_analyzed.TryGetValue(code, out var info))
        {
            return info;
        }

        info = ExpressionAnalyzer.Analyze(code, Options);
        if (_analyzed.Count >= Options.ExpressionCacheSize)
        {
            // Crude but bounded; workflows reuse a small set of expressions, so refills are rare.
            _analyzed.Clear();
        }

        _analyzed.TryAdd(code, info);
        return info;
    }
}
