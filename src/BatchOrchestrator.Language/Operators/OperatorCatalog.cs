namespace BatchOrchestrator.Language.Operators;

/// <summary>
/// A fixed <see cref="IOperatorCatalog"/> of descriptions, with Digdag's operators that are not
/// provided (<see cref="DigdagOperators.NotProvided"/>). Hosts use their registry instead; this is
/// for tools and tests that check workflows against a known list.
/// </summary>
public sealed class OperatorCatalog : IOperatorCatalog
{
    private readonly List<OperatorDescription> _ordered;
    private readonly Dictionary<string, OperatorDescription> _byName;

    /// <exception cref="ArgumentException">Two descriptions have the same name.</exception>
    public OperatorCatalog(IEnumerable<OperatorDescription> operators)
    {
        ArgumentNullException.ThrowIfNull(operators);
        _ordered = [.. operators];
        _byName = new Dictionary<string, OperatorDescription>(StringComparer.Ordinal);
        foreach (var description in _ordered)
        {
            if (!_byName.TryAdd(description.Name, description))
            {
                throw new ArgumentException($"Two operators are named '{description.Name}'.", nameof(operators));
            }
        }
    }

    public IEnumerable<string> Names => _ordered.Select(o => o.Name);

    public OperatorDescription? Find(string name) => _byName.GetValueOrDefault(name);

    public string? NotProvided(string name) => _byName.ContainsKey(name) ? null : DigdagOperators.NotProvided.GetValueOrDefault(name);
}
