using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

/// <summary>The schedule store's compare-and-set: of two writers that read the same row, one wins, on one connection or two.</summary>
[TestClass]
public sealed class SqliteScheduleStoreTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 21, 0, 0, 0, TimeSpan.FromHours(9));

    [TestMethod]
    public async Task Of_two_stores_writing_the_same_version_exactly_one_wins_and_the_row_keeps_its_write()
    {
        using var folder = new TempFolder();
        await using var first = await SqliteScheduleStore.OpenAsync(folder.File("schedules.db"), CancellationToken.None);
        await using var second = await SqliteScheduleStore.OpenAsync(folder.File("schedules.db"), CancellationToken.None);
        var created = await first.TryWriteAsync(State(Midnight.AddDays(-1)), CancellationToken.None);
        var duplicate = await second.TryWriteAsync(State(Midnight.AddDays(-2)), CancellationToken.None);

        var results = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? first : second).TryWriteAsync(created! with { HandledThrough = Midnight.AddHours(i) }, CancellationToken.None)));

        Assert.AreEqual(1, created!.Version);
        Assert.IsNull(duplicate, "a second insert of the same workflow is refused");
        var winner = results.Where(r => r is not null).ToList();
        Assert.HasCount(1, winner);
        var stored = await second.GetAsync("p", "wf", CancellationToken.None);
        Assert.AreEqual(winner[0], stored);
        Assert.AreEqual(TimeSpan.FromHours(9), stored!.HandledThrough.Offset, "times keep the workflow's offset");
    }

    [TestMethod]
    public async Task A_backfill_name_is_taken_once_and_its_progress_moves_by_version()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteScheduleStore.OpenAsync(folder.File("schedules.db"), CancellationToken.None);
        var backfill = new BackfillState
        {
            Project = "p",
            Workflow = "wf",
            Name = "redo",
            Revision = "r1",
            SessionTimes = [Midnight, Midnight.AddDays(1)],
            CreatedAt = Midnight,
        };

        var created = await store.TryWriteBackfillAsync(backfill, CancellationToken.None);
        var taken = await store.TryWriteBackfillAsync(backfill with { Revision = "r2" }, CancellationToken.None);
        var stepped = await store.TryWriteBackfillAsync(created! with { Started = 1, CurrentAttemptId = "a1" }, CancellationToken.None);
        var stale = await store.TryWriteBackfillAsync(created! with { Started = 1, CurrentAttemptId = "a2" }, CancellationToken.None);
        var active = await store.ListBackfillsAsync(activeOnly: true, CancellationToken.None);
        await store.TryWriteBackfillAsync(stepped! with { FinishedAt = Midnight.AddDays(2) }, CancellationToken.None);

        Assert.IsNull(taken);
        Assert.IsNull(stale);
        var read = active.Single();
        Assert.AreEqual(("r1", 1, "a1"), (read.Revision, read.Started, read.CurrentAttemptId));
        CollectionAssert.AreEqual(backfill.SessionTimes.ToArray(), read.SessionTimes.ToArray());
        Assert.IsEmpty(await store.ListBackfillsAsync(activeOnly: true, CancellationToken.None));
        Assert.IsTrue((await store.GetBackfillAsync("p", "wf", "redo", CancellationToken.None))!.IsFinished);
    }

    private static ScheduleState State(DateTimeOffset handledThrough) => new()
    {
        Project = "p",
        Workflow = "wf",
        Fingerprint = "0 0 * * *|0|Asia/Tokyo",
        HandledThrough = handledThrough,
        UpdatedAt = handledThrough,
    };
}
