using Azure.Storage.Blobs;

namespace BatchOrchestrator.Storage.Blob.Projects;

/// <summary>Pushed projects in Blob storage: the repository the API pushes to, and the revision store the orchestrator loads from.</summary>
public sealed record BlobProjectStore(BlobProjectRepository Repository, BlobProjectRevisionStore Revisions)
{
    /// <summary>Both over one container and prefix; revisions are cached in <paramref name="cacheDirectory"/> on this instance.</summary>
    public static BlobProjectStore Open(BlobContainerClient container, string prefix, string cacheDirectory, TimeProvider clock)
    {
        var revisions = new BlobProjectRevisionStore(container, prefix, cacheDirectory);
        return new BlobProjectStore(new BlobProjectRepository(container, prefix, revisions, clock), revisions);
    }
}
