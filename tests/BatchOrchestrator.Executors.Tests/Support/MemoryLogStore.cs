using System.Collections.Concurrent;
using System.Text;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Executors.Tests.Support;

/// <summary>Task logs in memory, for tests.</summary>
internal sealed class MemoryLogStore : ILogStore
{
    private readonly ConcurrentDictionary<TaskLogKey, StringBuilder> _logs = new();

    public Task AppendAsync(TaskLogKey key, string text, CancellationToken cancellationToken)
    {
        var log = _logs.GetOrAdd(key, _ => new StringBuilder());
        lock (log)
        {
            log.Append(text);
        }

        return Task.CompletedTask;
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
