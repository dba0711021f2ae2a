using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// The param store on Blob storage (for hosts on Azure): one JSON blob per project
/// (<c>{prefix}{project}.json</c>, the project name URL-escaped) holding all its keys.
/// <list type="bullet">
/// <item>A set is all or none: the new object is written in one upload, on the condition that
/// the blob is still the version that was read (its ETag); a writer that lost the race reads
/// again and merges again, so concurrent sets from any number of hosts all land.</item>
/// <item>Reads see the latest completed set. Repeating a set writes the same values again.</item>
/// </list>
/// </summary>
public sealed class BlobParamStore(BlobContainerClient container, string prefix = "") : IParamStore
{
    /// <summary>How often a set tries again (after losing a race, or creating the container) before giving up.</summary>
    private const int MaxConflicts = 100;

    private static readonly BlobHttpHeaders JsonHeaders = new() { ContentType = "application/json" };

    private readonly string folder = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";

    public async Task<IReadOnlyDictionary<string, JsonElement>> GetAsync(string project, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentNullException.ThrowIfNull(keys);
        var (values, _) = await ReadAsync(Blob(project), cancellationToken);
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (values.TryGetValue(key, out var value))
            {
                found[key] = value;
            }
        }

        return found;
    }

    public async Task SetAsync(string project, IReadOnlyDictionary<string, JsonElement> values, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentNullException.ThrowIfNull(values);
        var blob = Blob(project);
        for (var conflicts = 0; ; conflicts++)
        {
            var (current, etag) = await ReadAsync(blob, cancellationToken);
            foreach (var (key, value) in values)
            {
                current[key] = value;
            }

            var conditions = etag is { } version ? new BlobRequestConditions { IfMatch = version } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                await blob.UploadAsync(
                    BinaryData.FromObjectAsJson(current),
                    new BlobUploadOptions { Conditions = conditions, HttpHeaders = JsonHeaders },
                    cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (IsLostRace(e) && conflicts < MaxConflicts)
            {
                // Another set landed between the read and the write: merge into its result instead.
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound && conflicts < MaxConflicts)
            {
                await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            }
        }
    }

    private static bool IsLostRace(RequestFailedException e) =>
        e.ErrorCode == BlobErrorCode.ConditionNotMet || e.ErrorCode == BlobErrorCode.BlobAlreadyExists || e.Status == 412;

    /// <summary>The project's values and the version they were read at (null when it has none yet).</summary>
    private static async Task<(Dictionary<string, JsonElement> Values, ETag? Version)> ReadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var download = await blob.DownloadContentAsync(cancellationToken);
            var values = download.Value.Content.ToObjectFromJson<Dictionary<string, JsonElement>>() ?? [];
            return (new Dictionary<string, JsonElement>(values, StringComparer.Ordinal), download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (new Dictionary<string, JsonElement>(StringComparer.Ordinal), null);
        }
    }

    private BlobClient Blob(string project) => container.GetBlobClient(folder + Uri.EscapeDataString(project) + ".json");
}
