using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// A host's operators: one <see cref="OperatorDefinition"/> per name. Filled at start-up, read-only
/// afterwards. It is the catalog <c>bo check</c>, the API and the compiler validate workflows
/// against (<see cref="IOperatorCatalog"/>), the table the orchestrator dispatches by kind, and the
/// source of the activity operators (<see cref="CreateActivities"/>). A new registry holds the
/// interpreter's own operators (call&gt;, require&gt;, wait&gt;); a host adds the built-ins
/// (<see cref="BuiltinOperators.AddBuiltins"/>), its storage's, and any third party's.
/// </summary>
public sealed class OperatorRegistry : IOperatorCatalog
{
    private readonly List<OperatorDefinition> _ordered = [];
    private readonly Dictionary<string, OperatorDefinition> _byName = new(StringComparer.Ordinal);

    public OperatorRegistry()
    {
        foreach (var description in InterpreterOperators.Descriptions)
        {
            Add(OperatorDefinition.Interpreter(description));
        }
    }

    /// <summary>Adds a definition; returns the registry for chaining.</summary>
    /// <exception cref="ArgumentException">An operator of that name is registered already (a built-in cannot be replaced).</exception>
    public OperatorRegistry Add(OperatorDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!_byName.TryAdd(definition.Name, definition))
        {
            throw new ArgumentException($"An operator named '{definition.Name}' is already registered.", nameof(definition));
        }

        _ordered.Add(definition);
        return this;
    }

    /// <summary>Adds each definition, in order (a host's extra operators).</summary>
    public OperatorRegistry AddRange(IEnumerable<OperatorDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        foreach (var definition in definitions)
        {
            Add(definition);
        }

        return this;
    }

    public OperatorDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    public IReadOnlyList<OperatorDefinition> Definitions => _ordered;

    public IEnumerable<string> Names => _ordered.Select(d => d.Name);

    OperatorDescription? IOperatorCatalog.Find(string name) => Find(name)?.Description;

    public string? NotProvided(string name) => _byName.ContainsKey(name) ? null : DigdagOperators.NotProvided.GetValueOrDefault(name);

    /// <summary>The activity operators, each made once over the host's services.</summary>
    /// <exception cref="InvalidOperationException">A definition made an operator of another name.</exception>
    public ActivityOperators CreateActivities(OperatorServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var operators = new List<IOperator>();
        foreach (var definition in _ordered.Where(d => d.Kind == OperatorKind.Activity))
        {
            var made = definition.CreateActivity!(services);
            operators.Add(made.Name == definition.Name
                ? made
                : throw new InvalidOperationException($"The definition of {definition.Name}> made an operator named '{made.Name}'."));
        }

        return new ActivityOperators(this, operators);
    }
}
