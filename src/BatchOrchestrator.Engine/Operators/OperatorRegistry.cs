namespace BatchOrchestrator.Engine.Operators;

/// <summary>Work operators by name. Filled at start-up, read-only afterwards.</summary>
public sealed class OperatorRegistry
{
    private readonly Dictionary<string, IOperator> _operators = new(StringComparer.Ordinal);

    public OperatorRegistry Add(IOperator op)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (!_operators.TryAdd(op.Name, op))
        {
            throw new ArgumentException($"An operator named '{op.Name}' is already registered.", nameof(op));
        }

        return this;
    }

    public IOperator? Find(string name) => _operators.GetValueOrDefault(name);

    public IEnumerable<string> Names => _operators.Keys.Order(StringComparer.Ordinal);
}
