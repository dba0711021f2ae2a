namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Task logs: one append-only log per task try. Files locally, Azure append blobs in the cloud.
/// Appends from a re-delivered activity may repeat text; readers tolerate that.
/// </summary>
public interface ILogStore
{
    /// <summary>
    /// Appends text to a try's log, creating it on first use. One call is atomic: its text is never
    /// interleaved with another append's, from this writer or another.
    /// </summary>
    Task AppendAsync(TaskLogKey key, string text, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a log from a byte offset into its UTF-8 text (for following: pass the previous chunk's
    /// <see cref="LogChunk.NextOffset"/>, starting at 0). Returns whole characters only: a character
    /// still being written stays for the next read. A chunk may stop before the end of a long log;
    /// read until a chunk comes back empty. Empty when the log does not exist yet.
    /// </summary>
    Task<LogChunk> ReadAsync(TaskLogKey key, long offset, CancellationToken cancellationToken);

    /// <summary>Where a person finds the log (a file path or a blob URL).</summary>
    string Locate(TaskLogKey key);
}

/// <summary>A part of a log and the byte offset to read from next.</summary>
public sealed record LogChunk(string Text, long NextOffset);
