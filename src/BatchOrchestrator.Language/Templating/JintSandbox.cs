using System.Globalization;
using System.Text.Json;
using Jint;
using Jint.Native;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// A Jint engine without CLR access, with the limits of <see cref="TemplateEngineOptions"/>, the workflow's
/// time zone as local time and an invariant culture, so results do not depend on the host. Globals are set
/// per evaluation to exactly the variables the expression reads; moment.js is loaded the first time an
/// expression reads <c>moment</c>.
/// </summary>
/// <remarks>
/// Statement, recursion, array and memory budgets are reset for each entry into the engine. The
/// <see cref="TemplateDeadline"/> and the caller's cancellation are armed only around the user's expression
/// (and the stringifying of its result), not around loading moment.js: a cold first load must not count
/// against a template.
/// </remarks>
internal sealed class JintSandbox
{
    private readonly HashSet<string> _bound = new(StringComparer.Ordinal);
    private readonly TemplateDeadline _deadline = new();
    private readonly TemplateEngineOptions _options;
    private readonly TemplateLibrary _library;
    private readonly Jint.Native.Json.JsonSerializer _json;
    private bool _momentLoaded;

    public JintSandbox(TemplateEngineOptions options, TemplateLibrary library, TimeZoneInfo zone, Func<DateTimeOffset> now)
    {
        _options = options;
        _library = library;
        Engine = new Engine(o =>
        {
            o.Culture = CultureInfo.InvariantCulture;
            o.TimeSystem = new TemplateTimeSystem(zone, now);
            o.MaxStatements(options.MaxStatements)
                .LimitRecursion(options.MaxRecursionDepth)
                .LimitMemory(options.MaxAllocatedBytes)
                .RegexTimeoutInterval(options.RegexTimeout)
                .Constraint(_deadline);
            o.Constraints.MaxArraySize = options.MaxArrayLength;
        });
        _json = new Jint.Native.Json.JsonSerializer(Engine);
    }

    public Engine Engine { get; }

    /// <summary>Binds the variables (null: make sure it is unbound) and evaluates the prepared expression.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public JsValue Run(ExpressionInfo expression, IReadOnlyList<(string Name, JsonElement? Value)> bindings, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var (name, value) in bindings)
        {
            if (value is { } json)
            {
                Engine.SetValue(name, JsonToJavaScript.Convert(Engine, json));
                _bound.Add(name);
            }
            else if (_bound.Remove(name))
            {
                Engine.Global.Delete(name);
            }
        }

        if (!_momentLoaded && !_bound.Contains(TemplateLibrary.MomentName) && expression.FreeVariables.Contains(TemplateLibrary.MomentName))
        {
            _library.LoadMoment(Engine);
            _momentLoaded = true;
        }

        return Guarded(() => Engine.Evaluate(expression.Script!.Value), cancellationToken);
    }

    /// <summary><c>JSON.stringify(value)</c>, under the same limits as the expression that produced it.</summary>
    public JsValue Stringify(JsValue value, CancellationToken cancellationToken) => Guarded(() => _json.Serialize(value), cancellationToken);

    private JsValue Guarded(Func<JsValue> evaluate, CancellationToken cancellationToken)
    {
        _deadline.Begin(_options.Timeout, cancellationToken);
        try
        {
            return evaluate();
        }
        finally
        {
            _deadline.End();
        }
    }
}
