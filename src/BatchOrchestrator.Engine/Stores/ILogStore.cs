namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Task logs: one append-only log per task try. Files locally, Azure append blobs in the cloud.
/// Appends from a re-delivered activity may repeat text; readers tolerate that.
/// </summary>
public interface ILogStore
{
    /// <summary>Appends text to a try's log, creating it on first use.</summary>
    Task AppendAsync(TaskLogKey key, string text, CancellationToken cancellationToken);

    /// <summary>Reads a log from a character offset (for following); empty when it does not exist yet.</summary>
    Task<LogChunk> ReadAsync(TaskLogKey key, long offset, CancellationToken cancellationToken);

    /// <summary>Where a person finds the log (a file path or a blob URL).</summary>
    string Locate(TaskLogKey key);
}

/// <summary>A part of a log and the offset to read from next.</summary>
public sealed record LogChunk(string Text, long NextOffset);
