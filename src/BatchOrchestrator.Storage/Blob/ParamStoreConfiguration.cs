using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// Chooses the persistent param store (<c>param_set&gt;</c>/<c>param_get&gt;</c>) from host
/// configuration: Blob storage when an account is configured, otherwise the SQLite file.
/// Environment variables: <c>BO_PARAM_BLOB_CONNECTION_STRING</c> or <c>BO_PARAM_BLOB_ACCOUNT_URL</c>,
/// <c>BO_PARAM_BLOB_CONTAINER</c> (default <see cref="DefaultContainer"/>), <c>BO_PARAM_BLOB_PREFIX</c>.
/// </summary>
public static class ParamStoreConfiguration
{
    public const string ConnectionStringVariable = "BO_PARAM_BLOB_CONNECTION_STRING";
    public const string AccountUrlVariable = "BO_PARAM_BLOB_ACCOUNT_URL";
    public const string ContainerVariable = "BO_PARAM_BLOB_CONTAINER";
    public const string PrefixVariable = "BO_PARAM_BLOB_PREFIX";
    public const string DefaultContainer = "bo-params";

    /// <summary>The store the process environment configures; the SQLite file at <paramref name="databasePath"/> when it names no account.</summary>
    public static Task<IParamStore> FromEnvironmentAsync(string databasePath, CancellationToken cancellationToken) =>
        FromVariablesAsync(databasePath, Environment.GetEnvironmentVariable, cancellationToken);

    /// <summary>The store the given variables configure. A SQLite store is <see cref="IAsyncDisposable"/>: dispose what this returns when it is.</summary>
    /// <exception cref="ArgumentException">Both a connection string and an account URL are set, or the URL or container name is malformed.</exception>
    /// <exception cref="StoreUnavailableException">The SQLite file at <paramref name="databasePath"/> is there and cannot be used.</exception>
    public static async Task<IParamStore> FromVariablesAsync(string databasePath, Func<string, string?> variable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variable);
        cancellationToken.ThrowIfCancellationRequested();
        var account = BlobAccountVariables.Read(variable, ConnectionStringVariable, AccountUrlVariable);
        if (account is null)
        {
            // Opened by its first use when not there yet (most runs never read or write a param); checked now when it is.
            return await SqliteParamStore.OpenIfPresentAsync(databasePath, cancellationToken);
        }

        var container = BlobAccountVariables.Container(variable(ContainerVariable), DefaultContainer, ContainerVariable);
        return new BlobParamStore(account.CreateClient().GetBlobContainerClient(container), variable(PrefixVariable)?.Trim() ?? "");
    }
}
