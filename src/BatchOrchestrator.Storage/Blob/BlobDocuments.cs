using BatchOrchestrator.Engine.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// JSON documents in blobs, changed by optimistic concurrency: a change reads the document and
/// its ETag, computes the new document, and uploads it on the condition that the blob is still
/// the version read (or still absent). A writer that lost the race reads again and applies its
/// change again, so concurrent writers on any number of hosts all land and none is lost.
/// </summary>
internal static class BlobDocuments
{
    /// <summary>How often a change tries again (after losing a race, or creating the container) before giving up.</summary>
    private const int MaxConflicts = 100;

    private static readonly BlobHttpHeaders JsonHeaders = new() { ContentType = "application/json" };

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = JsonResolvers.WithReflectionFallback(StorageJsonContext.Default),
    };

    /// <summary>The document and the version it was read at, or (null, null) when the blob or its container does not exist.</summary>
    public static async Task<(T? Document, ETag? Version)> ReadAsync<T>(BlobClient blob, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var download = await blob.DownloadContentAsync(cancellationToken);
            return (download.Value.Content.ToObjectFromJson(Json.TypeInfo<T>()), download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored document (null when there is none) until it
    /// lands. The change returns the document to write (null: leave the blob as it is) and the
    /// caller's result; it may run several times, so it must not have side effects.
    /// </summary>
    public static async Task<TResult> UpdateAsync<T, TResult>(
        BlobClient blob, Func<T?, (T? Write, TResult Result)> change, CancellationToken cancellationToken)
        where T : class
    {
        for (var conflicts = 0; ; conflicts++)
        {
            var (current, etag) = await ReadAsync<T>(blob, cancellationToken);
            var (write, result) = change(current);
            if (write is null)
            {
                return result;
            }

            var conditions = etag is { } version ? new BlobRequestConditions { IfMatch = version } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                await blob.UploadAsync(
                    BinaryData.FromObjectAsJson(write, Json.TypeInfo<T>()),
                    new BlobUploadOptions { Conditions = conditions, HttpHeaders = JsonHeaders },
                    cancellationToken);
                return result;
            }
            catch (RequestFailedException e) when (IsLostRace(e) && conflicts < MaxConflicts)
            {
                // Another writer landed between the read and the write: apply the change to its result instead.
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound && conflicts < MaxConflicts)
            {
                await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="document"/> if the blob is still at <paramref name="version"/> (null:
    /// still absent); false, writing nothing, when another writer changed it first.
    /// </summary>
    public static async Task<bool> TryReplaceAsync<T>(BlobClient blob, T document, ETag? version, CancellationToken cancellationToken)
    {
        var conditions = version is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        var options = new BlobUploadOptions { Conditions = conditions, HttpHeaders = JsonHeaders };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromObjectAsJson(document, Json.TypeInfo<T>()), options, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (IsLostRace(e))
            {
                return false;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound && attempt == 0)
            {
                await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            }
        }
    }

    /// <summary>Every document under <paramref name="prefix"/>, in name order; none when the container does not exist.</summary>
    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(BlobContainerClient container, string prefix, CancellationToken cancellationToken)
        where T : class
    {
        var documents = new List<T>();
        try
        {
            await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
            {
                // A blob deleted between the listing and the read is simply not there any more.
                if ((await ReadAsync<T>(container.GetBlobClient(item.Name), cancellationToken)).Document is { } document)
                {
                    documents.Add(document);
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
        }

        return documents;
    }

    /// <summary>Writes <paramref name="content"/> whatever is there (for blobs every writer writes the same way); creates the container when missing.</summary>
    public static async Task PutAsync(BlobClient blob, BinaryData content, IDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { HttpHeaders = JsonHeaders, Metadata = metadata };
        try
        {
            await blob.UploadAsync(content, options, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await blob.UploadAsync(content, options, cancellationToken);
        }
    }

    /// <summary>Writes <paramref name="content"/> only if the blob does not exist (409 BlobAlreadyExists otherwise); creates the container when missing.</summary>
    public static async Task CreateAsync(BlobClient blob, BinaryData content, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { HttpHeaders = JsonHeaders, Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        try
        {
            await blob.UploadAsync(content, options, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await blob.UploadAsync(content, options, cancellationToken);
        }
    }

    private static bool IsLostRace(RequestFailedException e) =>
        e.ErrorCode == BlobErrorCode.ConditionNotMet || e.ErrorCode == BlobErrorCode.BlobAlreadyExists || e.Status == 412;

    /// <summary>A folder prefix ending in '/', or empty.</summary>
    public static string Folder(string prefix) => prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
}
