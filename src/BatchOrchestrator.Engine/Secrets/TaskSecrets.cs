using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Secrets;

/// <summary>
/// What the activities need to resolve and mask secrets: the store values come from, and the
/// masking log store the host gave its executors (so output streamed by an executor is masked
/// with the values its try was launched with).
/// </summary>
public sealed record TaskSecrets(ISecretStore Store, MaskingLogStore Logs)
{
    /// <summary>A resolver for one try of a task whose log is <paramref name="log"/> (its project owns the secrets).</summary>
    public SecretResolver Resolver(TaskLogKey log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return new SecretResolver(Store, log.Project);
    }
}
