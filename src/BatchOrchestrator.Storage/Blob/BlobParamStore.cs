using System.Text.Json;
using Azure.Storage.Blobs;
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
    private readonly string _folder = BlobDocuments.Folder(prefix);

    public async Task<IReadOnlyDictionary<string, JsonElement>> GetAsync(string project, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        ArgumentNullException.ThrowIfNull(keys);
        var (values, _) = await BlobDocuments.ReadAsync<Dictionary<string, JsonElement>>(Blob(project), cancellationToken);
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (values is not null && values.TryGetValue(key, out var value))
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
        await BlobDocuments.UpdateAsync<Dictionary<string, JsonElement>, bool>(
            Blob(project),
            stored =>
            {
                var current = new Dictionary<string, JsonElement>(stored ?? [], StringComparer.Ordinal);
                foreach (var (key, value) in values)
                {
                    current[key] = value;
                }

                return (current, true);
            },
            cancellationToken);
    }

    private BlobClient Blob(string project) => container.GetBlobClient(_folder + Uri.EscapeDataString(project) + ".json");
}
