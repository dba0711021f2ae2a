using System.Text.Json;

namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// What is known of one task of an attempt: the row behind <c>bo tasks</c> and the UI's task tree.
/// Written by idempotent upserts keyed on (<see cref="AttemptId"/>, <see cref="TaskName"/>), so a
/// re-delivered activity writes the same row again instead of a second one.
/// </summary>
public sealed record TaskRecord
{
    public required string AttemptId { get; init; }

    public required string TaskName { get; init; }

    public required TaskState State { get; init; }

    /// <summary>How many tries ran so far (1 after the first).</summary>
    public int Tries { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Params this task stored for later tasks (reused when an attempt is resumed).</summary>
    public JsonElement? StoreParams { get; init; }

    /// <summary>Params this task exported to its subtasks (reused when an attempt is resumed).</summary>
    public JsonElement? ExportParams { get; init; }

    /// <summary>The user-facing error of the last failed try.</summary>
    public string? Error { get; init; }

    /// <summary>Where the last try's log is.</summary>
    public string? LogReference { get; init; }

    /// <summary>
    /// The order of this update among the updates of the task: writes may arrive out of order
    /// (at-least-once, batched), and a store keeps the record with the highest sequence.
    /// </summary>
    public long Sequence { get; init; }
}
