namespace BatchOrchestrator.Engine.Secrets;

/// <summary>A host with no secret store: every <c>${secret:...}</c> fails its task as "not set"; setting one is refused.</summary>
public sealed class EmptySecretStore : ISecretStore
{
    public Task<string?> GetAsync(string project, string key, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task SetAsync(string project, string key, string value, CancellationToken cancellationToken) =>
        throw new SecretStoreException("this host has no secret store to write to");

    public Task<bool> DeleteAsync(string project, string key, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<IReadOnlyList<string>> ListAsync(string project, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
