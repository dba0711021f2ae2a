using BatchOrchestrator.Engine.Scheduling;

namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Where the scheduler keeps what it has done: one <see cref="ScheduleState"/> per scheduled
/// workflow and one <see cref="BackfillState"/> per backfill. Every write is a compare-and-set on
/// the row's <c>Version</c>, so two schedulers on one store (two servers, or a restarted one next
/// to a slow one) never both advance a schedule past the same session: the second write fails
/// and its writer reads the row again. SQLite locally, a table or blobs in the cloud.
/// </summary>
public interface IScheduleStore
{
    /// <summary>Every schedule's state.</summary>
    Task<IReadOnlyList<ScheduleState>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One workflow's schedule state, or null when the scheduler has not seen it yet.</summary>
    Task<ScheduleState?> GetAsync(string project, string workflow, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="state"/> if the stored row still has <see cref="ScheduleState.Version"/>
    /// (0: no row yet). Returns the stored state, its version one higher, or null when another
    /// writer changed the row first (nothing is written then).
    /// </summary>
    Task<ScheduleState?> TryWriteAsync(ScheduleState state, CancellationToken cancellationToken);

    /// <summary>Backfills, oldest first; only those still running when <paramref name="activeOnly"/>.</summary>
    Task<IReadOnlyList<BackfillState>> ListBackfillsAsync(bool activeOnly, CancellationToken cancellationToken);

    /// <summary>One backfill by its workflow and name, or null when there is none.</summary>
    Task<BackfillState?> GetBackfillAsync(string project, string workflow, string name, CancellationToken cancellationToken);

    /// <summary>Writes a backfill by the same compare-and-set rule as <see cref="TryWriteAsync"/>; a new one (version 0) fails when the name is taken.</summary>
    Task<BackfillState?> TryWriteBackfillAsync(BackfillState backfill, CancellationToken cancellationToken);
}
