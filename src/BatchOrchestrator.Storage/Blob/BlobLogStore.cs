using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// Task logs as UTF-8 append blobs in one container, one blob per task try, named
/// <c>{prefix}{<see cref="TaskLogKey.RelativePath"/>}</c> (project/workflow/session/attempt/task.tryN.log),
/// so a person finds a log in the portal or with <c>az storage blob</c> without the database.
/// <list type="bullet">
/// <item>An append is atomic: appends to one log are queued and written as append blocks in
/// their order. Appends that arrive while a block is being written go into the next block
/// together (up to 4 MiB), so a chatty task uses few of a blob's 50,000 blocks. Text of one append
/// longer than a block is written under a blob lease, so another writer's block cannot land
/// between its blocks; writers that meet the lease wait for it.</item>
/// <item>Offsets are bytes of the blob; a read returns whole characters only, at most
/// <see cref="MaxChunkBytes"/> at a time (one ranged download each).</item>
/// <item>Cancelling before the append is queued leaves the log unchanged; a queued append is
/// written even when its caller stops waiting.</item>
/// </list>
/// </summary>
public sealed class BlobLogStore : ILogStore
{
    /// <summary>The most a single read returns, so following a huge log goes in steps.</summary>
    public const int MaxChunkBytes = 1 << 20;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly AppendQueues _queues;

    /// <param name="container">The container of the logs (created on the first append when missing).</param>
    /// <param name="prefix">A folder inside the container for these logs ("" for its root); a trailing '/' is added.</param>
    public BlobLogStore(BlobContainerClient container, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(prefix);
        _container = container;
        _prefix = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
        _queues = new AppendQueues(new AppendBlobWriter(container));
    }

    public async Task AppendAsync(TaskLogKey key, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(text);
        cancellationToken.ThrowIfCancellationRequested();
        if (text.Length == 0)
        {
            return;
        }

        await _queues.AppendAsync(BlobName(key), Utf8.GetBytes(text), cancellationToken);
    }

    public async Task<LogChunk> ReadAsync(TaskLogKey key, long offset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var blob = _container.GetBlobClient(BlobName(key));
        byte[] bytes;
        try
        {
            var download = await blob.DownloadContentAsync(
                new BlobDownloadOptions { Range = new HttpRange(offset, MaxChunkBytes) },
                cancellationToken);
            bytes = download.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404 || e.ErrorCode == BlobErrorCode.InvalidRange)
        {
            // No log yet, or nothing past the offset yet.
            return new LogChunk("", offset);
        }

        var complete = Utf8Boundary.CompleteLength(bytes);
        return new LogChunk(Utf8.GetString(bytes, 0, complete), offset + complete);
    }

    public string Locate(TaskLogKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _container.GetBlobClient(BlobName(key)).Uri.ToString();
    }

    private string BlobName(TaskLogKey key) => _prefix + key.RelativePath;
}
