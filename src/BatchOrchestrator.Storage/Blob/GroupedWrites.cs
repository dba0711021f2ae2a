namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// Group commit for read-modify-write blobs: writes to one blob wait in a queue, and one writer
/// per blob applies everything queued in one change (one read and one conditional upload), so
/// many concurrent writers cost a few round trips instead of racing each other. An idle blob has
/// no queue and no writer.
/// </summary>
internal sealed class GroupedWrites<T>(Func<string, IReadOnlyList<T>, CancellationToken, Task> write)
{
    /// <summary>Blobs with a writer running, and what waits for it.</summary>
    private readonly Dictionary<string, List<Pending>> _pending = new(StringComparer.Ordinal);

    /// <summary>Completes when <paramref name="items"/> are written together (all or none); a caller that stops waiting does not withdraw them.</summary>
    public Task WriteAsync(string blobName, IReadOnlyList<T> items, CancellationToken cancellationToken)
    {
        var entry = new Pending(items);
        bool startWriter;
        lock (_pending)
        {
            startWriter = !_pending.TryGetValue(blobName, out var queue);
            if (startWriter)
            {
                queue = [];
                _pending.Add(blobName, queue);
            }

            queue!.Add(entry);
        }

        if (startWriter)
        {
            _ = Task.Run(() => WriteQueuedAsync(blobName), CancellationToken.None);
        }

        return entry.Written.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteQueuedAsync(string blobName)
    {
        while (NextBatch(blobName) is { } batch)
        {
            try
            {
                // Not the callers' tokens: a write taken from the queue is finished for the others in its batch.
                await write(blobName, batch.SelectMany(p => p.Items).ToList(), CancellationToken.None);
                batch.ForEach(p => p.Written.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Written.TrySetException(e));
            }
        }
    }

    /// <summary>Everything queued for the blob, or null (and the writer ends) when nothing is.</summary>
    private List<Pending>? NextBatch(string blobName)
    {
        lock (_pending)
        {
            var queue = _pending[blobName];
            if (queue.Count == 0)
            {
                _pending.Remove(blobName);
                return null;
            }

            var batch = queue.ToList();
            queue.Clear();
            return batch;
        }
    }

    private sealed record Pending(IReadOnlyList<T> Items)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
