using System.Text;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Tests.Support;

/// <summary>Task logs in memory, for operator tests that read back what an operator wrote.</summary>
internal sealed class MemoryLogStore : ILogStore
{
    private readonly Dictionary<TaskLogKey, StringBuilder> _logs = [];
    private readonly Lock _lock = new();

    public Task AppendAsync(TaskLogKey key, string text, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_logs.TryGetValue(key, out var log))
            {
                _logs[key] = log = new StringBuilder();
            }

            log.Append(text);
        }

        return Task.CompletedTask;
    }

    public Task<LogChunk> ReadAsync(TaskLogKey key, long offset, CancellationToken cancellationToken)
    {
        var text = Text(key);
        var bytes = Encoding.UTF8.GetBytes(text);
        return Task.FromResult(offset >= bytes.Length ? new LogChunk(string.Empty, offset) : new LogChunk(Encoding.UTF8.GetString(bytes, (int)offset, bytes.Length - (int)offset), bytes.Length));
    }

    public string Locate(TaskLogKey key) => "memory:" + key.RelativePath;

    public string Text(TaskLogKey key)
    {
        lock (_lock)
        {
            return _logs.TryGetValue(key, out var log) ? log.ToString() : string.Empty;
        }
    }
}
