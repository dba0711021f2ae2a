namespace BatchOrchestrator.Language.Operators;

/// <summary>
/// The operators a host runs, as the Language sees them: what <c>bo check</c> validates a task
/// against. The Language defines this contract and consumes it; the host's registry of operator
/// definitions (in the Engine) produces it, so an operator is described in one place.
/// </summary>
public interface IOperatorCatalog
{
    /// <summary>The operator of that name (without <c>&gt;</c>), or null when the host has none.</summary>
    OperatorDescription? Find(string name);

    /// <summary>Every operator name, in the order the host registered them (for messages).</summary>
    IEnumerable<string> Names { get; }

    /// <summary>
    /// The product of a Digdag operator BatchOrchestrator does not provide (<c>td&gt;</c> is
    /// "Treasure Data"), or null: tells "not provided" from a typo.
    /// </summary>
    string? NotProvided(string name);
}
