namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// The activity operators a host made from its <see cref="OperatorRegistry"/>
/// (<see cref="OperatorRegistry.CreateActivities"/>), by name: what the RunOperator activity runs.
/// </summary>
public sealed class ActivityOperators
{
    private readonly Dictionary<string, IOperator> _operators;

    internal ActivityOperators(OperatorRegistry registry, IEnumerable<IOperator> operators)
    {
        Registry = registry;
        _operators = operators.ToDictionary(o => o.Name, StringComparer.Ordinal);
    }

    /// <summary>The registry they were made from: what the host's workflows are checked against.</summary>
    public OperatorRegistry Registry { get; }

    public IOperator? Find(string name) => _operators.GetValueOrDefault(name);

    public IEnumerable<string> Names => _operators.Keys.Order(StringComparer.Ordinal);
}
