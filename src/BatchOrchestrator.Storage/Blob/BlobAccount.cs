using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// How to reach a Blob storage account: a connection string (Azurite, or an account key), or
/// the account URL with <see cref="DefaultAzureCredential"/> (a managed identity on Azure,
/// <c>az login</c> on a workstation). The secret itself never appears in <see cref="ToString"/>.
/// </summary>
public sealed class BlobAccount
{
    private readonly string? _connectionString;
    private readonly Uri? _accountUrl;

    private BlobAccount(string? connectionString, Uri? accountUrl)
    {
        _connectionString = connectionString;
        _accountUrl = accountUrl;
    }

    public static BlobAccount FromConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new BlobAccount(connectionString, null);
    }

    /// <exception cref="ArgumentException">Not an absolute http(s) URL.</exception>
    public static BlobAccount FromAccountUrl(string accountUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountUrl);
        if (!Uri.TryCreate(accountUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"'{accountUrl}' is not an account URL such as https://myaccount.blob.core.windows.net", nameof(accountUrl));
        }

        return new BlobAccount(null, url);
    }

    /// <summary>A client for the account. Transfers carry no CRC64 checks (Azurite does not support them; TLS protects them on Azure).</summary>
    public BlobServiceClient CreateClient()
    {
        var options = new BlobClientOptions();
        options.TransferValidation.Upload.ChecksumAlgorithm = StorageChecksumAlgorithm.None;
        options.TransferValidation.Download.ChecksumAlgorithm = StorageChecksumAlgorithm.None;
        return _connectionString is not null
            ? new BlobServiceClient(_connectionString, options)
            : new BlobServiceClient(_accountUrl!, new DefaultAzureCredential(), options);
    }

    public override string ToString() => _accountUrl?.ToString() ?? "(connection string)";
}
