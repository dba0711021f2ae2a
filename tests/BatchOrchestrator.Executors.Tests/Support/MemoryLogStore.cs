using System.Collections.Concurrent;
using System.Text;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Executors.Tests.Support;

/// <summary>Task logs in memory, for tests.</summary>
internal sealed class MemoryLogStore : ILogStore
{
    private readonly ConcurrentDictionary<TaskLogKey, StringBuilder> _logs = new();
    private volatile TaskCompletionSource? _held;

    /// <summary>Appends from now on wait until <see cref="Release"/>, as a store that cannot keep up would.</summary>
    public void Hold() => _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _held?.TrySetResult();

    public async Task AppendAsync(TaskLogKey key, string text, CancellationToken cancellationToken)
    {
        if (_held is { } held)
        {
            await held.Task.WaitAsync(cancellationToken);
        }

        var log = _logs.GetOrAdd(key, _ => new StringBuilder());
        lock (log)
        {
            log.Append(text);
        }
    }

    public Task<LogChunk> ReadAsync(TaskLogKey key, long offset, CancellationToken cancellationToken)
    {
        if (!_logs.TryGetValue(key, out var log))
        {
            return Task.FromResult(new LogChunk("", 0));
        }

        lock (log)
        {
            var text = log.ToString();
            var start = (int)Math.Min(offset, text.Length);
            return Task.FromResult(new LogChunk(text[start..], text.Length));
        }
    }

    public string Locate(TaskLogKey key) => $"memory:{key.RelativePath}";

    /// <summary>The whole log of a try ("" when it has none).</summary>
    public string Text(TaskLogKey key)
    {
        if (!_logs.TryGetValue(key, out var log))
        {
            return "";
        }

        lock (log)
        {
            return log.ToString();
        }
    }
}
