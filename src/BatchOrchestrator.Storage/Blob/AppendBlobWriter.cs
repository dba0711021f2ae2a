using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// Writes bytes at the end of an append blob, creating the container and the blob on first use.
/// Bytes that fit in one block are one block (atomic by itself); more are written block by block
/// under a blob lease, which every other writer of the blob meets and waits out.
/// </summary>
internal sealed class AppendBlobWriter(BlobContainerClient container)
{
    /// <summary>The largest append block the service takes (4 MiB).</summary>
    public const int MaxBlockBytes = 4 * 1024 * 1024;

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait before trying a leased blob again, and at most in all (longer than a lease lives).</summary>
    private static readonly TimeSpan LeaseRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LeaseWaitLimit = TimeSpan.FromMinutes(3);

    private static readonly BlobHttpHeaders TextHeaders = new() { ContentType = "text/plain; charset=utf-8" };

    public async Task AppendAsync(string blobName, IReadOnlyList<byte[]> parts, CancellationToken cancellationToken)
    {
        var blob = container.GetAppendBlobClient(blobName);
        var total = parts.Sum(p => p.Length);
        if (total <= MaxBlockBytes)
        {
            await AppendBlockAsync(blob, Concat(parts, total), leaseId: null, cancellationToken);
            return;
        }

        // Only a single append longer than a block gets here (batches never grow past one).
        var bytes = Concat(parts, total);
        await EnsureBlobAsync(blob, cancellationToken);
        var lease = blob.GetBlobLeaseClient();
        await AcquireAsync(lease, cancellationToken);
        try
        {
            for (var start = 0; start < bytes.Length; start += MaxBlockBytes)
            {
                await lease.RenewAsync(cancellationToken: cancellationToken);
                var block = new ReadOnlyMemory<byte>(bytes, start, Math.Min(MaxBlockBytes, bytes.Length - start));
                await AppendBlockAsync(blob, block, lease.LeaseId, cancellationToken);
            }
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }

    private async Task AppendBlockAsync(AppendBlobClient blob, ReadOnlyMemory<byte> block, string? leaseId, CancellationToken cancellationToken)
    {
        var options = new AppendBlobAppendBlockOptions
        {
            Conditions = leaseId is null ? null : new AppendBlobRequestConditions { LeaseId = leaseId },
        };
        var waitedSince = DateTimeOffset.UtcNow;
        for (var created = false; ; )
        {
            try
            {
                using var stream = new MemoryStream(block.ToArray(), writable: false);
                await blob.AppendBlockAsync(stream, options, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (!created && (e.ErrorCode == BlobErrorCode.BlobNotFound || e.ErrorCode == BlobErrorCode.ContainerNotFound))
            {
                await EnsureBlobAsync(blob, cancellationToken);
                created = true;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.LeaseIdMissing && DateTimeOffset.UtcNow - waitedSince < LeaseWaitLimit)
            {
                // Another writer holds the blob for an append longer than a block: wait for it to finish.
                await Task.Delay(LeaseRetryDelay, cancellationToken);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlockCountExceedsLimit)
            {
                throw new IOException($"The log blob '{blob.Name}' holds the 50,000 blocks an append blob can; nothing more can be appended to it.", e);
            }
        }
    }

    private async Task EnsureBlobAsync(AppendBlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            await blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = TextHeaders }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = TextHeaders }, cancellationToken);
        }
    }

    private static async Task AcquireAsync(BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        var since = DateTimeOffset.UtcNow;
        while (true)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.LeaseAlreadyPresent && DateTimeOffset.UtcNow - since < LeaseWaitLimit)
            {
                await Task.Delay(LeaseRetryDelay, cancellationToken);
            }
        }
    }

    private static byte[] Concat(IReadOnlyList<byte[]> parts, int total)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var bytes = new byte[total];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(bytes, at);
            at += part.Length;
        }

        return bytes;
    }
}
