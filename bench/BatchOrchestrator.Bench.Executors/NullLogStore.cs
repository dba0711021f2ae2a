using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Bench.Executors;

/// <summary>Drops log text: the benchmark measures spawning and waiting, not log storage.</summary>
internal sealed class NullLogStore : ILogStore
{
    public Task AppendAsync(TaskLogKey key, string text, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<LogChunk> ReadAsync(TaskLogKey key, long offset, CancellationToken cancellationToken) =>
        Task.FromResult(new LogChunk("", 0));

    public string Locate(TaskLogKey key) => key.RelativePath;
}
