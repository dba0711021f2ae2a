using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Tests.Support;

/// <summary>A log store that keeps every append as it was made; <see cref="FailNext"/> makes the next append fail.</summary>
internal sealed class RecordingLogStore : ILogStore
{
    private readonly ConcurrentQueue<(TaskLogKey Key, string Text)> _appends = new();

    public bool FailNext { get; set; }

    public IReadOnlyList<string> Appends(TaskLogKey key) => [.. _appends.Where(a => a.Key == key).Select(a => a.Text)];

    public string Text(TaskLogKey key) => string.Concat(Appends(key));

    public Task AppendAsync(TaskLogKey key, string text, CancellationToken cancellationToken)
    {
        if (FailNext)
        {
            FailNext = false;
            throw new IOException("the disk is full");
        }

        _appends.Enqueue((key, text));
        return Task.CompletedTask;
    }

    public Task<LogChunk> ReadAsync(TaskLogKey key, long offset, CancellationToken cancellationToken) =>
        Task.FromResult(new LogChunk(offset == 0 ? Text(key) : string.Empty, offset + System.Text.Encoding.UTF8.GetByteCount(Text(key))));

    public string Locate(TaskLogKey key) => key.RelativePath;
}
