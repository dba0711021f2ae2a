namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// Group commit for append blobs: appends to one blob wait in a queue, and one writer per blob
/// takes as many of them as fit in a block (in their order) and writes them as one block. While
/// a block is written, new appends gather for the next; an idle blob has no queue and no writer.
/// </summary>
internal sealed class AppendQueues(AppendBlobWriter writer)
{
    /// <summary>Blobs with a writer running, and what waits for it.</summary>
    private readonly Dictionary<string, Queue<PendingAppend>> _pending = new(StringComparer.Ordinal);

    /// <summary>Completes when the bytes are in the blob; a caller that stops waiting does not withdraw them.</summary>
    public Task AppendAsync(string blobName, byte[] bytes, CancellationToken cancellationToken)
    {
        var append = new PendingAppend(bytes);
        bool startWriter;
        lock (_pending)
        {
            startWriter = !_pending.TryGetValue(blobName, out var queue);
            if (startWriter)
            {
                queue = new Queue<PendingAppend>();
                _pending.Add(blobName, queue);
            }

            queue!.Enqueue(append);
        }

        if (startWriter)
        {
            _ = Task.Run(() => WriteQueuedAsync(blobName), CancellationToken.None);
        }

        return append.Written.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteQueuedAsync(string blobName)
    {
        while (NextBatch(blobName) is { } batch)
        {
            try
            {
                // Not the callers' tokens: the batch is shared, and one caller giving up must not
                // fail the others' appends. The client's own network timeouts bound the call.
                await writer.AppendAsync(blobName, batch.Select(a => a.Bytes).ToList(), CancellationToken.None);
                batch.ForEach(a => a.Written.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(a => a.Written.TrySetException(e));
            }
        }
    }

    /// <summary>The appends of the next block, or null (and the writer ends) when none wait.</summary>
    private List<PendingAppend>? NextBatch(string blobName)
    {
        lock (_pending)
        {
            var queue = _pending[blobName];
            if (queue.Count == 0)
            {
                _pending.Remove(blobName);
                return null;
            }

            var batch = new List<PendingAppend> { queue.Dequeue() };
            var size = batch[0].Bytes.Length;
            while (queue.TryPeek(out var next) && size + next.Bytes.Length <= AppendBlobWriter.MaxBlockBytes)
            {
                batch.Add(queue.Dequeue());
                size += next.Bytes.Length;
            }

            return batch;
        }
    }

    private sealed class PendingAppend(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
