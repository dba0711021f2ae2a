using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Storage.Tests.Contracts;

/// <summary>
/// The schedule store's compare-and-set, run against each store (SQLite locally, Blob storage on
/// Azure): of two writers that read the same row, one wins, in one store or two.
/// </summary>
public abstract class ScheduleStoreContractTests : StoreContractTests<IScheduleStore>
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 21, 0, 0, 0, TimeSpan.FromHours(9));

    [TestMethod]
    public async Task Of_two_stores_writing_the_same_version_exactly_one_wins_and_the_row_keeps_its_write()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        var created = await first.TryWriteAsync(State(Midnight.AddDays(-1)), Ct);
        var duplicate = await second.TryWriteAsync(State(Midnight.AddDays(-2)), Ct);

        var results = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? first : second).TryWriteAsync(created! with { HandledThrough = Midnight.AddHours(i) }, Ct)));

        Assert.AreEqual(1, created!.Version);
        Assert.IsNull(duplicate, "a second insert of the same workflow is refused");
        var winner = results.Where(r => r is not null).ToList();
        Assert.HasCount(1, winner);
        var stored = await second.GetAsync("p", "wf", Ct);
        Assert.AreEqual(winner[0], stored);
        Assert.AreEqual(TimeSpan.FromHours(9), stored!.HandledThrough.Offset, "times keep the workflow's offset");
    }

    [TestMethod]
    public async Task A_backfill_name_is_taken_once_and_its_progress_moves_by_version()
    {
        var store = await OpenAsync();
        var backfill = new BackfillState
        {
            Project = "p",
            Workflow = "wf",
            Name = "redo",
            Revision = "r1",
            SessionTimes = [Midnight, Midnight.AddDays(1)],
            CreatedAt = Midnight,
        };

        var created = await store.TryWriteBackfillAsync(backfill, Ct);
        var taken = await store.TryWriteBackfillAsync(backfill with { Revision = "r2" }, Ct);
        var stepped = await store.TryWriteBackfillAsync(created! with { Started = 1, CurrentAttemptId = "a1" }, Ct);
        var stale = await store.TryWriteBackfillAsync(created! with { Started = 1, CurrentAttemptId = "a2" }, Ct);
        var active = await store.ListBackfillsAsync(activeOnly: true, Ct);
        await store.TryWriteBackfillAsync(stepped! with { FinishedAt = Midnight.AddDays(2) }, Ct);

        Assert.IsNull(taken);
        Assert.IsNull(stale);
        var read = active.Single();
        Assert.AreEqual(("r1", 1, "a1"), (read.Revision, read.Started, read.CurrentAttemptId));
        CollectionAssert.AreEqual(backfill.SessionTimes.ToArray(), read.SessionTimes.ToArray());
        Assert.IsEmpty(await store.ListBackfillsAsync(activeOnly: true, Ct));
        Assert.IsTrue((await store.GetBackfillAsync("p", "wf", "redo", Ct))!.IsFinished);
    }

    [TestMethod]
    public async Task Every_schedule_is_listed_by_project_and_workflow_and_a_new_store_lists_none()
    {
        var store = await OpenAsync();
        Assert.IsEmpty(await store.ListAsync(Ct));
        Assert.IsNull(await store.GetAsync("p", "wf", Ct));

        await store.TryWriteAsync(State(Midnight) with { Project = "q", Workflow = "a" }, Ct);
        await store.TryWriteAsync(State(Midnight) with { Workflow = "z" }, Ct);
        await store.TryWriteAsync(State(Midnight) with { Workflow = "b", Enabled = false }, Ct);

        var listed = await store.ListAsync(Ct);
        CollectionAssert.AreEqual(new[] { "p/b", "p/z", "q/a" }, listed.Select(s => $"{s.Project}/{s.Workflow}").ToArray());
        Assert.IsFalse(listed[0].Enabled);
        Assert.IsTrue(listed.All(s => s.Version == 1));
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
