using System.Text.Json;
using Azure.Storage.Blobs;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Storage.Blob.Operators;

/// <summary>
/// Which storage account a <c>blob&gt;</c>/<c>blob_wait&gt;</c> task uses, first that is set:
/// its <c>account_url</c> option (signed in with DefaultAzureCredential), the project secret
/// <c>azure.blob.connection_string</c>, or the host's default account.
/// </summary>
internal sealed class BlobOperatorAccounts(BlobAccount? hostDefault)
{
    public const string ConnectionStringSecret = "azure.blob.connection_string";

    public static IReadOnlyList<string> SecretKeys { get; } = [ConnectionStringSecret];

    public BlobServiceClient ClientFor(TaskRequest request, OperatorOptionReader options)
    {
        if (options.String("account_url") is { } url)
        {
            if (!BlobOptionRules.IsAccountUrl(url))
            {
                throw options.Fail("account_url", BlobOptionRules.AccountUrlExample, url);
            }

            try
            {
                return BlobAccount.FromAccountUrl(url).CreateClient();
            }
            catch (ArgumentException)
            {
                throw options.Fail("account_url", BlobOptionRules.AccountUrlExample, url);
            }
        }

        // The activity puts a secret the operator reads into its params under the secret's own name.
        if (request.Params.ValueKind == JsonValueKind.Object
            && request.Params.TryGetProperty(ConnectionStringSecret, out var secret)
            && secret.ValueKind == JsonValueKind.String && secret.GetString() is { Length: > 0 } connectionString)
        {
            return BlobAccount.FromConnectionString(connectionString).CreateClient();
        }

        return hostDefault?.CreateClient() ?? throw new TaskFailure(
            $"{request.OperatorName}>: no storage account: set the account_url option, the secret {ConnectionStringSecret} (bo secrets --set), or the host's {BlobOperators.ConnectionStringVariable} / {BlobOperators.AccountUrlVariable}",
            retryable: false);
    }
}
