namespace BatchOrchestrator.Engine.Secrets;

/// <summary>
/// Secret values by project and key, what <c>${secret:key}</c> reads (Digdag's <c>SecretStore</c>).
/// Locally an encrypted file, on Azure Key Vault. Values leave a store only through
/// <see cref="GetAsync"/>; listing gives names, never values.
/// </summary>
public interface ISecretStore
{
    /// <summary>The value of <paramref name="key"/> in <paramref name="project"/>, or null when it is not set.</summary>
    /// <exception cref="SecretStoreException">The store cannot be read (a wrong key, a damaged file).</exception>
    Task<string?> GetAsync(string project, string key, CancellationToken cancellationToken);

    /// <summary>Sets (or replaces) a value. Durable when the call returns.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a valid name (<see cref="SecretNames"/>).</exception>
    Task SetAsync(string project, string key, string value, CancellationToken cancellationToken);

    /// <summary>Removes a value; false when it was not set.</summary>
    Task<bool> DeleteAsync(string project, string key, CancellationToken cancellationToken);

    /// <summary>The names of the project's secrets, sorted. Never their values.</summary>
    Task<IReadOnlyList<string>> ListAsync(string project, CancellationToken cancellationToken);
}
