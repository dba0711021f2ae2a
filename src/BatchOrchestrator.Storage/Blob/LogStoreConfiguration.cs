using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// Chooses the task log store from host configuration: Blob storage when an account is
/// configured, otherwise files under the state folder. Environment variables:
/// <list type="bullet">
/// <item><c>BO_LOG_BLOB_CONNECTION_STRING</c> — a storage connection string (Azurite, account key), or</item>
/// <item><c>BO_LOG_BLOB_ACCOUNT_URL</c> — e.g. <c>https://myaccount.blob.core.windows.net</c>, signed in with DefaultAzureCredential;</item>
/// <item><c>BO_LOG_BLOB_CONTAINER</c> — the container (default <see cref="DefaultContainer"/>), created when missing;</item>
/// <item><c>BO_LOG_BLOB_PREFIX</c> — an optional folder inside the container.</item>
/// </list>
/// </summary>
public static class LogStoreConfiguration
{
    public const string ConnectionStringVariable = "BO_LOG_BLOB_CONNECTION_STRING";
    public const string AccountUrlVariable = "BO_LOG_BLOB_ACCOUNT_URL";
    public const string ContainerVariable = "BO_LOG_BLOB_CONTAINER";
    public const string PrefixVariable = "BO_LOG_BLOB_PREFIX";
    public const string DefaultContainer = "bo-logs";

    /// <summary>The store the process environment configures; files under <paramref name="fileRoot"/> when it names no account.</summary>
    public static ILogStore FromEnvironment(string fileRoot) => FromVariables(fileRoot, Environment.GetEnvironmentVariable);

    /// <summary>The store the given variables configure (<paramref name="variable"/> returns null for an unset one).</summary>
    /// <exception cref="ArgumentException">Both a connection string and an account URL are set, or the URL or container name is malformed.</exception>
    public static ILogStore FromVariables(string fileRoot, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var account = BlobAccountVariables.Read(variable, ConnectionStringVariable, AccountUrlVariable);
        if (account is null)
        {
            return new FileLogStore(fileRoot);
        }

        var container = BlobAccountVariables.Container(variable(ContainerVariable), DefaultContainer, ContainerVariable);
        return new BlobLogStore(account.CreateClient().GetBlobContainerClient(container), variable(PrefixVariable)?.Trim() ?? "");
    }
}
