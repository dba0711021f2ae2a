using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Secrets;

namespace BatchOrchestrator.Engine.Tests.Support;

/// <summary>Secrets in memory, for unit tests of resolution; <see cref="Failure"/> makes every read fail as a broken store does.</summary>
internal sealed class MemorySecretStore : ISecretStore
{
    private readonly ConcurrentDictionary<(string Project, string Key), string> _values = new();

    public SecretStoreException? Failure { get; set; }

    public Task<string?> GetAsync(string project, string key, CancellationToken cancellationToken) =>
        Failure is { } failure ? throw failure : Task.FromResult(_values.GetValueOrDefault((project, key)));

    public Task SetAsync(string project, string key, string value, CancellationToken cancellationToken)
    {
        _values[(project, key)] = value;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string project, string key, CancellationToken cancellationToken) =>
        Task.FromResult(_values.TryRemove((project, key), out _));

    public Task<IReadOnlyList<string>> ListAsync(string project, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. _values.Keys.Where(k => k.Project == project).Select(k => k.Key).Order(StringComparer.Ordinal)]);
}
