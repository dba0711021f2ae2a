namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// An operator that reads named secrets itself (Digdag's <c>http.authorization</c>, <c>http.user</c>,
/// ...), rather than through <c>${secret:...}</c> in its config. The activity that runs it looks
/// the keys up in the secret store (never in orchestrator code), passes the ones that are set as
/// params of the same dotted name, and masks their values in everything the try writes.
/// </summary>
public interface ISecretConsumer
{
    /// <summary>The secret keys the operator reads when set, e.g. <c>http.authorization</c>.</summary>
    IReadOnlyList<string> SecretKeys { get; }
}
