using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;
using static BatchOrchestrator.Storage.Tests.Sqlite.Records;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

[TestClass]
public sealed class SessionAttemptTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    [TestMethod]
    public async Task AnAttemptRecordsItsSessionOnce()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        var session = Session();

        await store.UpsertAttemptAsync(Attempt(session), Ct);
        await store.UpsertAttemptAsync(Attempt(session, "retry1"), Ct);
        await store.UpsertSessionAsync(SessionRecord.Of(session), Ct);

        var page = await store.ListSessionsAsync(new SessionQuery(), Ct);
        Assert.HasCount(1, page.Items);
        Assert.AreEqual(SessionRecord.Of(session), page.Items[0]);
        Assert.AreEqual(SessionRecord.Of(session), await store.GetSessionAsync(SessionRecord.IdOf(session), Ct));
    }

    [TestMethod]
    public async Task AttemptsGetIndexesInOrderAndKeepThemWhenRewritten()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        var session = Session();

        var first = await store.UpsertAttemptAsync(Attempt(session), Ct);
        var second = await store.UpsertAttemptAsync(Attempt(session, "retry1") with { ResumedFrom = first.AttemptId }, Ct);
        var again = await store.UpsertAttemptAsync(Attempt(session), Ct);
        var other = await store.UpsertAttemptAsync(Attempt(Session(day: 2)), Ct);

        Assert.AreEqual(1, first.Index);
        Assert.AreEqual(2, second.Index);
        Assert.AreEqual(1, again.Index);
        Assert.AreEqual(1, other.Index);
        var attempts = await store.GetAttemptsAsync(SessionRecord.IdOf(session), Ct);
        CollectionAssert.AreEqual(new[] { first.AttemptId, second.AttemptId }, attempts.Select(a => a.AttemptId).ToArray());
        Assert.AreEqual(first.AttemptId, attempts[1].ResumedFrom);
        Assert.AreEqual("retry1", attempts[1].RetryAttemptName);
        Assert.AreEqual(session, attempts[1].Session);
    }

    [TestMethod]
    public async Task TheLatestAttemptIsTheOneWithTheHighestIndex()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        var session = Session();
        var sessionId = SessionRecord.IdOf(session);

        Assert.IsNull(await store.GetLatestAttemptAsync(sessionId, Ct));
        await store.UpsertAttemptAsync(Attempt(session), Ct);
        await store.UpsertAttemptAsync(Attempt(session, "retry1"), Ct);
        // Rewriting the first attempt (a re-delivered activity) must not make it the latest.
        await store.UpsertAttemptAsync(Attempt(session, status: AttemptStatus.Error), Ct);

        var latest = await store.GetLatestAttemptAsync(sessionId, Ct);
        Assert.AreEqual(session.AttemptInstanceId("retry1"), latest!.AttemptId);
        Assert.AreEqual(2, latest.Index);
    }

    [TestMethod]
    public async Task AFinishedAttemptKeepsItsFirstFinishedStatus()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        var session = Session();

        await store.UpsertAttemptAsync(Attempt(session), Ct);
        var killed = await store.UpsertAttemptAsync(Attempt(session, status: AttemptStatus.Killed), Ct);
        var afterError = await store.UpsertAttemptAsync(Attempt(session, status: AttemptStatus.Error) with { FinishedAt = T0.AddHours(1) }, Ct);
        var afterRunning = await store.UpsertAttemptAsync(Attempt(session), Ct);

        Assert.AreEqual(AttemptStatus.Killed, killed.Status);
        Assert.AreEqual(T0.AddMinutes(1), killed.FinishedAt);
        Assert.AreEqual(killed.Status, afterError.Status);
        Assert.AreEqual(killed.FinishedAt, afterError.FinishedAt);
        Assert.AreEqual(AttemptStatus.Killed, afterRunning.Status);
    }

    [TestMethod]
    public async Task AnAttemptIsFoundByIdWithItsParams()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        var session = Session();
        var attempt = Attempt(session) with { Params = Json("""{"env":"prod"}""") };

        await store.UpsertAttemptAsync(attempt, Ct);

        var found = await store.GetAttemptAsync(attempt.AttemptId, Ct);
        Assert.AreEqual("prod", found!.Params!.Value.GetProperty("env").GetString());
        Assert.AreEqual(T0, found.CreatedAt);
        Assert.AreEqual(AttemptStatus.Running, found.Status);
        Assert.IsNull(found.FinishedAt);
        Assert.IsNull(await store.GetAttemptAsync("bo:none", Ct));
    }

    [TestMethod]
    public async Task SessionsAreListedNewestFirstAPageAtATime()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        for (var day = 1; day <= 5; day++)
        {
            await store.UpsertAttemptAsync(Attempt(Session(day: day)), Ct);
        }

        var seen = new List<int>();
        var query = new SessionQuery { Project = "ads", Workflow = "daily", PageSize = 2 };
        var pages = 0;
        do
        {
            var page = await store.ListSessionsAsync(query, Ct);
            seen.AddRange(page.Items.Select(s => s.SessionTime.Day));
            query = query with { ContinuationToken = page.ContinuationToken };
            pages++;
        }
        while (query.ContinuationToken is not null);

        CollectionAssert.AreEqual(new[] { 5, 4, 3, 2, 1 }, seen);
        Assert.AreEqual(3, pages);
    }

    [TestMethod]
    public async Task AFullLastPageHasNoContinuation()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        await store.UpsertSessionAsync(SessionRecord.Of(Session(day: 1)), Ct);
        await store.UpsertSessionAsync(SessionRecord.Of(Session(day: 2)), Ct);

        var page = await store.ListSessionsAsync(new SessionQuery { PageSize = 2 }, Ct);

        Assert.HasCount(2, page.Items);
        Assert.IsNull(page.ContinuationToken);
    }

    [TestMethod]
    public async Task SessionsAreFilteredByProjectAndWorkflow()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        await store.UpsertSessionAsync(SessionRecord.Of(Session("ads", "daily")), Ct);
        await store.UpsertSessionAsync(SessionRecord.Of(Session("ads", "hourly")), Ct);
        await store.UpsertSessionAsync(SessionRecord.Of(Session("etl", "daily")), Ct);

        var ads = await store.ListSessionsAsync(new SessionQuery { Project = "ads" }, Ct);
        var adsDaily = await store.ListSessionsAsync(new SessionQuery { Project = "ads", Workflow = "daily" }, Ct);
        var all = await store.ListSessionsAsync(new SessionQuery(), Ct);

        CollectionAssert.AreEqual(new[] { "hourly", "daily" }, ads.Items.Select(s => s.Workflow).ToArray());
        Assert.AreEqual(SessionRecord.Of(Session("ads", "daily")), adsDaily.Items.Single());
        Assert.HasCount(3, all.Items);
    }

    [TestMethod]
    public async Task ABadContinuationTokenIsRejected()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);

        await Assert.ThrowsExactlyAsync<ArgumentException>(
            () => store.ListSessionsAsync(new SessionQuery { ContinuationToken = "x1" }, Ct));
    }

    [TestMethod]
    public async Task ASessionTimeKeepsItsOffsetAndIsUniqueInUtc()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        var tokyo = new SessionKey("ads", "daily", new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.FromHours(9)));
        var sameInstantUtc = tokyo with { SessionTime = tokyo.SessionTime.ToUniversalTime() };

        await store.UpsertSessionAsync(SessionRecord.Of(tokyo), Ct);
        await store.UpsertSessionAsync(SessionRecord.Of(sameInstantUtc), Ct);

        var stored = (await store.ListSessionsAsync(new SessionQuery(), Ct)).Items.Single();
        Assert.AreEqual(tokyo.SessionTime, stored.SessionTime);
        Assert.AreEqual(TimeSpan.FromHours(9), stored.SessionTime.Offset);
    }
}
