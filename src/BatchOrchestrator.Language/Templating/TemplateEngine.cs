using System.Collections.Concurrent;
using System.Text.Json;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// Evaluates <c>${...}</c> templates as JavaScript (ES5 — the language level of Digdag's Nashorn — run by
/// Jint 4) with the params as global variables and moment.js loaded, as Digdag has it.
/// </summary>
/// <remarks>
/// <para>Rules: a string result is inserted as is; <c>null</c>/<c>undefined</c> insert nothing; anything
/// else is <c>JSON.stringify</c>-ed (<c>${1+1}</c> → <c>2</c>, objects → compact JSON). <c>$$</c> is a
/// literal <c>$</c>. <c>${secret:key}</c> (any <c>${word:...}</c>) is left exactly as written for the
/// operator. See <see cref="TemplateText"/> for the lexical rules.</para>
/// <para>Guarantees: templates are sandboxed (no CLR access; statement, recursion, array, memory, regex and
/// time limits from <see cref="TemplateEngineOptions"/>); every render call uses its own interpreter, so a
/// template cannot affect another render; results depend only on the template, the params and the "now"
/// the call gives (local time is the params' <c>timezone</c>, as Digdag sets Nashorn's, and the culture is
/// invariant). Every user mistake surfaces as a <see cref="TemplateException"/>; a cancelled call throws
/// <see cref="OperationCanceledException"/>. Thread-safe: one instance may serve many threads.</para>
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

    internal TemplateLibrary Library { get; } = new();

    /// <summary>Renders one string. A string without <c>$</c> is returned unchanged without any parsing.</summary>
    /// <param name="template">The text with <c>${...}</c> in it.</param>
    /// <param name="parameters">The params, as JavaScript globals; their <c>timezone</c> is JavaScript's (and moment's) local time.</param>
    /// <param name="now">
    /// What <c>moment()</c> and <c>new Date()</c> read (null: <see cref="TemplateEngineOptions.Clock"/>). Orchestrator
    /// code gives the orchestration's time, so a replay renders the same text.
    /// </param>
    /// <param name="cancellationToken">Stops an evaluation in progress (a killed attempt).</param>
    /// <exception cref="TemplateException">The template is invalid, uses an undefined variable, throws, or exceeds a limit.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public string Render(string template, ParamSet parameters, DateTimeOffset? now = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(parameters);
        return new RenderSession(this, Context(parameters, now, cancellationToken)).RenderString(template, new ParamScope(parameters));
    }

    /// <summary>
    /// Renders every string inside <paramref name="value"/> (objects and lists, recursively); other values
    /// are kept. Rendered strings stay strings (<c>"${1+1}"</c> becomes <c>"2"</c>). As in Digdag, a string
    /// in an object also sees the already-rendered keys written before it in the same object, and values
    /// under <c>_do</c> and <c>_else_do</c> are not rendered (their operator renders them per iteration).
    /// </summary>
    /// <param name="value">The config to render.</param>
    /// <param name="parameters">The params its templates see.</param>
    /// <param name="paramKeys">
    /// Top-level keys of <paramref name="value"/> that are params already rendered in <paramref name="parameters"/>
    /// (a task's own keys): their value is taken from there, not rendered a second time — <c>x: ${x}!</c>
    /// appends once.
    /// </param>
    /// <param name="now">As for <see cref="Render"/>.</param>
    /// <param name="cancellationToken">As for <see cref="Render"/>.</param>
    /// <exception cref="TemplateException">As for <see cref="Render"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public JsonElement RenderJson(JsonElement value, ParamSet parameters, IReadOnlySet<string>? paramKeys = null, DateTimeOffset? now = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var session = new RenderSession(this, Context(parameters, now, cancellationToken));
        return new JsonRenderer(session).Render(value, new ParamScope(parameters), paramKeys is null ? null : new RenderedParams(parameters, paramKeys));
    }

    /// <summary>
    /// Evaluates the templates of a task's effective params (see <see cref="TaskParamResolver"/>) and returns
    /// the final params. Only <see cref="EffectiveParams.TemplateSites"/> are evaluated — text from the
    /// workflow — never stored, session or built-in values.
    /// </summary>
    /// <remarks>
    /// As in Digdag, keys are evaluated one by one, in order, and a key sees the params and the keys evaluated
    /// above it. A key that reads its own name sees the value it replaced — the inherited param
    /// (<c>color: ${color}</c> under <c>_export: {color: red}</c> is <c>red</c>). [ours] A key may also read a
    /// key below it, which is then evaluated first (Digdag sees that key unevaluated, or not at all); params
    /// that read each other in a cycle fail. So an <c>_export</c> such as <c>day: ${session_date}</c> is
    /// evaluated in each task against that task's params.
    /// </remarks>
    /// <exception cref="TemplateException">As for <see cref="Render"/>, or <see cref="TemplateErrorKind.Cycle"/> when params refer to each other in a cycle.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ParamSet RenderParams(EffectiveParams effective, DateTimeOffset? now = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(effective);
        // Nothing to evaluate (most tasks: no "${" in their params): the values are the result
        // as they are, without copying every param into a renderer and back.
        return effective.TemplateSites.IsEmpty
            ? effective.Values
            : new ParamRenderer(new RenderSession(this, Context(effective.Values, now, cancellationToken)), effective).RenderAll();
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

    private RenderContext Context(ParamSet parameters, DateTimeOffset? now, CancellationToken cancellationToken) =>
        RenderContext.For(parameters, Options, now, cancellationToken);

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
