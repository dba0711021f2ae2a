using BatchOrchestrator.Storage.Blob.Projects;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// Chooses whether pushed projects live in Blob storage (so every instance of a host serves and
/// runs them) from host configuration. Environment variables:
/// <c>BO_PROJECT_BLOB_CONNECTION_STRING</c> or <c>BO_PROJECT_BLOB_ACCOUNT_URL</c> (signed in with
/// DefaultAzureCredential), <c>BO_PROJECT_BLOB_CONTAINER</c> (default <see cref="DefaultContainer"/>,
/// created on first use) and <c>BO_PROJECT_BLOB_PREFIX</c>. Without an account the host keeps
/// pushed projects in its state folder.
/// </summary>
public static class ProjectStoreConfiguration
{
    public const string ConnectionStringVariable = "BO_PROJECT_BLOB_CONNECTION_STRING";
    public const string AccountUrlVariable = "BO_PROJECT_BLOB_ACCOUNT_URL";
    public const string ContainerVariable = "BO_PROJECT_BLOB_CONTAINER";
    public const string PrefixVariable = "BO_PROJECT_BLOB_PREFIX";
    public const string DefaultContainer = "bo-projects";

    /// <summary>The Blob projects the process environment configures, or null when it names no account.</summary>
    public static BlobProjectStore? FromEnvironment(string cacheDirectory, TimeProvider clock) =>
        FromVariables(cacheDirectory, clock, Environment.GetEnvironmentVariable);

    /// <summary>The Blob projects the given variables configure, or null when they name no account.</summary>
    /// <param name="cacheDirectory">This instance's local folder for materialised revisions.</param>
    /// <param name="clock">When pushes happen (the history's times).</param>
    /// <param name="variable">Returns a variable's value, null when it is unset.</param>
    /// <exception cref="ArgumentException">Both a connection string and an account URL are set, or the URL or container name is malformed.</exception>
    public static BlobProjectStore? FromVariables(string cacheDirectory, TimeProvider clock, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var account = BlobAccountVariables.Read(variable, ConnectionStringVariable, AccountUrlVariable);
        if (account is null)
        {
            return null;
        }

        var container = account.CreateClient().GetBlobContainerClient(
            BlobAccountVariables.Container(variable(ContainerVariable), DefaultContainer, ContainerVariable));
        return BlobProjectStore.Open(container, variable(PrefixVariable)?.Trim() ?? "", cacheDirectory, clock);
    }
}
