using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime;

/// <summary>How the embedded runtime runs.</summary>
public sealed record DurableRuntimeOptions
{
    /// <summary>The SQLite database file (created when missing).</summary>
    public required string DatabasePath { get; init; }

    /// <summary>
    /// Threads running orchestrator turns; an instance is never on two at once. An activity
    /// worker also runs the turn its own result makes ready, when no dispatcher has the instance.
    /// </summary>
    public int OrchestrationDispatchers { get; init; } = 2;

    /// <summary>
    /// A turn running longer than this (orchestrator code computing: a template at its budget) gives up
    /// its dispatcher seat, so other instances' turns do not wait behind it. Default 200 ms.
    /// </summary>
    public TimeSpan SlowTurnAfter { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Most turns that gave up their seat running at once, beside <see cref="OrchestrationDispatchers"/>:
    /// beyond them, slow turns queue behind each other. Default 8.
    /// </summary>
    public int MaxSlowTurns { get; init; } = 8;

    /// <summary>Activities run at the same time.</summary>
    public int ActivityWorkers { get; init; } = Environment.ProcessorCount * 2;

    /// <summary>At most this many activity results are committed in one transaction.</summary>
    public int ActivityCommitBatch { get; init; } = 64;

    /// <summary>Live orchestrations kept in memory (extended sessions); 0 replays every turn.</summary>
    public int MaxCachedSessions { get; init; } = 1_000;

    /// <summary>How often to look for messages written by other processes (clients, CLI).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Delay before a turn or a commit that failed (e.g. disk full) is tried again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>fsync every commit (survives an OS crash, slower); a process crash is survived either way.</summary>
    public bool SynchronousCommits { get; init; }

    /// <summary>A size quota for the database; commits past it fail cleanly. None when null.</summary>
    public long? MaxDatabaseBytes { get; init; }

    /// <summary>Serializes inputs, outputs and payloads.</summary>
    public DataConverter DataConverter { get; init; } = JsonDataConverter.Default;

    /// <summary>The clock of the runtime (timers, timestamps).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
