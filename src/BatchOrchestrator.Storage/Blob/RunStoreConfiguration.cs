using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// Chooses where run records (<see cref="IRunStore"/>) and schedule state (<see cref="IScheduleStore"/>)
/// live from host configuration: Blob storage when an account is configured, otherwise
/// <c>runs.db</c> and <c>schedules.db</c> in the state folder. Environment variables:
/// <c>BO_RUN_BLOB_CONNECTION_STRING</c> or <c>BO_RUN_BLOB_ACCOUNT_URL</c>, <c>BO_RUN_BLOB_CONTAINER</c>
/// (default <see cref="DefaultContainer"/>), <c>BO_RUN_BLOB_PREFIX</c>; runs are kept under
/// <c>{prefix}runs/</c> and schedules under <c>{prefix}schedules/</c>.
/// </summary>
public static class RunStoreConfiguration
{
    public const string ConnectionStringVariable = "BO_RUN_BLOB_CONNECTION_STRING";
    public const string AccountUrlVariable = "BO_RUN_BLOB_ACCOUNT_URL";
    public const string ContainerVariable = "BO_RUN_BLOB_CONTAINER";
    public const string PrefixVariable = "BO_RUN_BLOB_PREFIX";
    public const string DefaultContainer = "bo-runs";

    /// <summary>The stores the process environment configures; SQLite files in <paramref name="stateFolder"/> when it names no account.</summary>
    public static Task<RunStores> FromEnvironmentAsync(string stateFolder, CancellationToken cancellationToken) =>
        FromVariablesAsync(stateFolder, Environment.GetEnvironmentVariable, cancellationToken);

    /// <summary>The stores the given variables configure. SQLite stores are <see cref="IAsyncDisposable"/>: dispose them when done.</summary>
    /// <exception cref="ArgumentException">Both a connection string and an account URL are set, or the URL or container name is malformed.</exception>
    public static async Task<RunStores> FromVariablesAsync(string stateFolder, Func<string, string?> variable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var account = BlobAccountVariables.Read(variable, ConnectionStringVariable, AccountUrlVariable);
        if (account is null)
        {
            return new RunStores(
                await SqliteRunStore.OpenAsync(Path.Combine(stateFolder, "runs.db"), cancellationToken),
                await SqliteScheduleStore.OpenAsync(Path.Combine(stateFolder, "schedules.db"), cancellationToken));
        }

        var container = account.CreateClient().GetBlobContainerClient(
            BlobAccountVariables.Container(variable(ContainerVariable), DefaultContainer, ContainerVariable));
        var prefix = BlobDocuments.Folder(variable(PrefixVariable)?.Trim() ?? "");
        return new RunStores(new BlobRunStore(container, prefix + "runs"), new BlobScheduleStore(container, prefix + "schedules"));
    }
}

/// <summary>A host's run store and schedule store, chosen together (both on one account or both local).</summary>
public sealed record RunStores(IRunStore Runs, IScheduleStore Schedules);
