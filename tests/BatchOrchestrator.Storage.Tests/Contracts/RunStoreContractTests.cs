using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using static BatchOrchestrator.Storage.Tests.Sqlite.Records;

namespace BatchOrchestrator.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IRunStore"/> guarantees — idempotent upserts, stale writes dropped,
/// attempt indexes and statuses, session paging — run against each store (SQLite locally, Blob
/// storage on Azure) so <c>bo sessions</c>, <c>bo attempts</c> and <c>bo tasks</c> read the same on both.
/// </summary>
public abstract class RunStoreContractTests : StoreContractTests<IRunStore>
{
    [TestMethod]
    public async Task AStartedTryKeepsItsCommandsStateWhenItsLaunchIsDeliveredAgain()
    {
        var store = await OpenAsync();
        var attemptId = $"attempt-{Guid.NewGuid():N}";
        var container = System.Text.Json.JsonSerializer.SerializeToElement(new { executor = "kubernetes", @namespace = "etl" });
        var intent = new StartedTry { AttemptId = attemptId, TaskName = "+wf+load", Try = 0, Executor = "kubernetes", Container = container };
        var state = new Engine.Executors.CommandState("kubernetes", System.Text.Json.JsonSerializer.SerializeToElement(new { job = "load-0" }));

        await store.UpsertStartedTryAsync(intent, Ct);
        await store.UpsertStartedTryAsync(intent with { Command = state }, Ct);
        await store.UpsertStartedTryAsync(intent, Ct);
        await store.UpsertStartedTryAsync(intent with { TaskName = "+wf+other", Try = 2 }, Ct);

        var tries = (await store.GetStartedTriesAsync(attemptId, Ct)).OrderBy(t => t.TaskName, StringComparer.Ordinal).ToList();
        Assert.HasCount(2, tries);
        Assert.AreEqual("+wf+load", tries[0].TaskName);
        Assert.AreEqual("load-0", tries[0].Command!.Data.GetProperty("job").GetString(), "a write without the state does not erase it");
        Assert.AreEqual("etl", tries[0].Container!.Value.GetProperty("namespace").GetString());
        Assert.AreEqual(2, tries[1].Try);
        Assert.IsNull(tries[1].Command);
        Assert.IsEmpty(await store.GetStartedTriesAsync("attempt-none", Ct));
    }

    [TestMethod]
    public async Task ALaunchDeliveredAgainFindsItsMarkAndAnotherLaunchOfTheSameTryReplacesIt()
    {
        var store = await OpenAsync();
        var attemptId = $"attempt-{Guid.NewGuid():N}";
        var first = new StartedTry { AttemptId = attemptId, TaskName = "+wf+t", Try = 0, Executor = "local", Launch = "attempt#1" };
        var state = new Engine.Executors.CommandState("local", System.Text.Json.JsonSerializer.SerializeToElement(new { pid = 42 }));

        Assert.AreEqual(0, await store.UpsertStartedTryAsync(first, Ct), "the first delivery finds no mark");
        await store.UpsertStartedTryAsync(first with { Command = state, Deliveries = 1 }, Ct);
        Assert.AreEqual(1, await store.UpsertStartedTryAsync(first, Ct), "delivered again (a crash), it finds its own mark");

        // A group retry launches its children's try 0 again: a new run, and what a kill must find from now on.
        var retry = first with { Launch = "attempt#2" };
        Assert.AreEqual(0, await store.UpsertStartedTryAsync(retry, Ct), "another launch of the same try is not a rerun");
        var stored = (await store.GetStartedTriesAsync(attemptId, Ct)).Single();
        Assert.AreEqual("attempt#2", stored.Launch);
        Assert.IsNull(stored.Command, "the finished launch's state is not what a kill finds now");
        Assert.AreEqual(1, await store.UpsertStartedTryAsync(retry, Ct));
    }

    [TestMethod]
    public async Task ALaunchDeliveredThreeTimesCountsBothEarlierDeliveriesAndKeepsItsState()
    {
        var store = await OpenAsync();
        var attemptId = $"attempt-{Guid.NewGuid():N}";
        var launch = new StartedTry { AttemptId = attemptId, TaskName = "+wf+t", Try = 0, Executor = "local", Launch = "attempt#1" };
        var state = new Engine.Executors.CommandState("local", System.Text.Json.JsonSerializer.SerializeToElement(new { pid = 42 }));

        // Killed after it started its command, then killed again before the second delivery's state was written.
        Assert.AreEqual(0, await store.UpsertStartedTryAsync(launch, Ct));
        await store.UpsertStartedTryAsync(launch with { Command = state, Deliveries = 1 }, Ct);
        Assert.AreEqual(1, await store.UpsertStartedTryAsync(launch, Ct));
        Assert.AreEqual(2, await store.UpsertStartedTryAsync(launch, Ct), "the third delivery finds two before it: three runs, three tries");

        var stored = (await store.GetStartedTriesAsync(attemptId, Ct)).Single();
        Assert.AreEqual(3, stored.Deliveries);
        Assert.AreEqual(42, stored.Command!.Data.GetProperty("pid").GetInt32(), "counting deliveries keeps the first one's state for a kill");
    }

    [TestMethod]
    public async Task ALaunchsRecordsWrittenWithItsMarkAreReadBackAndItsDeliveriesCounted()
    {
        var store = await OpenAsync();
        var attemptId = $"attempt-{Guid.NewGuid():N}";
        var launch = new StartedTry { AttemptId = attemptId, TaskName = "+wf+t", Try = 0, Executor = "local", Launch = "attempt#1" };

        // What a sh> launch writes before its command starts: the task's record and the mark, together.
        Assert.AreEqual(0, (await store.MarkLaunchAsync(launch, [TaskRow(attemptId, "+wf+t", TaskState.Running)], Ct)).EarlierDeliveries);
        Assert.AreEqual(1, (await store.MarkLaunchAsync(launch, [TaskRow(attemptId, "+wf+t", TaskState.Running)], Ct)).EarlierDeliveries, "delivered again");
        Assert.AreEqual(0, (await store.MarkLaunchAsync(launch with { TaskName = "+wf+u" }, [], Ct)).EarlierDeliveries, "no records: the mark alone");

        Assert.AreEqual(TaskState.Running, (await store.GetTasksAsync(attemptId, Ct)).Single().State);
        var marks = await store.GetStartedTriesAsync(attemptId, Ct);
        Assert.AreEqual(2, marks.Single(m => m.TaskName == "+wf+t").Deliveries);
        Assert.AreEqual(1, marks.Single(m => m.TaskName == "+wf+u").Deliveries);
    }

    [TestMethod]
    public async Task ALaunchsMarkReadsItsAttemptsStatusAsItIsOnceTheMarkIsWritten()
    {
        // The kill check before a command starts: a kill recorded before the mark stops the launch.
        var store = await OpenAsync();
        var session = Session();
        var running = await store.UpsertAttemptAsync(Attempt(session), Ct);
        var launch = new StartedTry { AttemptId = running.AttemptId, TaskName = "+wf+t", Try = 0, Executor = "local", Launch = "attempt#1" };

        Assert.IsNull((await store.MarkLaunchAsync(launch with { AttemptId = "no-such-attempt" }, [], Ct)).AttemptStatus);
        Assert.AreEqual(AttemptStatus.Running, (await store.MarkLaunchAsync(launch, [], Ct)).AttemptStatus);

        await store.UpsertAttemptAsync(Attempt(session, status: AttemptStatus.Killed), Ct);
        var killed = await store.MarkLaunchAsync(launch with { TaskName = "+wf+u", Launch = "attempt#2" }, [TaskRow(running.AttemptId, "+wf+u", TaskState.Running)], Ct);

        Assert.AreEqual(AttemptStatus.Killed, killed.AttemptStatus);
        Assert.AreEqual(0, killed.EarlierDeliveries);
        Assert.Contains(m => m.TaskName == "+wf+u", await store.GetStartedTriesAsync(running.AttemptId, Ct), "the mark is written whatever the status: a kill reading the tries after it finds it");
    }

    [TestMethod]
    public async Task AnAttemptRecordsItsSessionOnce()
    {
        var store = await OpenAsync();
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
        var store = await OpenAsync();
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
        var store = await OpenAsync();
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
        var store = await OpenAsync();
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
    public async Task AnAttemptsStatusAloneReadsAsItsWholeRecordDoes()
    {
        // The kill check around every launch reads the status alone; it must say what the record says.
        var store = await OpenAsync();
        var session = Session();

        Assert.IsNull(await store.GetAttemptStatusAsync(session.AttemptInstanceId(null), Ct));
        var running = await store.UpsertAttemptAsync(Attempt(session), Ct);
        Assert.AreEqual(AttemptStatus.Running, await store.GetAttemptStatusAsync(running.AttemptId, Ct));

        await store.UpsertAttemptAsync(Attempt(session, status: AttemptStatus.Killed), Ct);
        await store.UpsertAttemptAsync(Attempt(session), Ct);
        Assert.AreEqual(AttemptStatus.Killed, await store.GetAttemptStatusAsync(running.AttemptId, Ct));
        Assert.AreEqual((await store.GetAttemptAsync(running.AttemptId, Ct))!.Status, await store.GetAttemptStatusAsync(running.AttemptId, Ct));
    }

    [TestMethod]
    public async Task AnAttemptIsFoundByIdWithItsParams()
    {
        var store = await OpenAsync();
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
        var store = await OpenAsync();
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
    public async Task AttemptsAreListedNewestFirstAcrossSessionsAPageAtATime()
    {
        var store = await OpenAsync();
        for (var day = 1; day <= 3; day++)
        {
            await store.UpsertAttemptAsync(Attempt(Session(day: day)) with { CreatedAt = T0.AddDays(day) }, Ct);
        }

        await store.UpsertAttemptAsync(Attempt(Session(day: 1), "retry1", AttemptStatus.Error) with { CreatedAt = T0.AddDays(4) }, Ct);
        await store.UpsertAttemptAsync(Attempt(Session("etl", day: 5)) with { CreatedAt = T0.AddDays(5) }, Ct);

        var seen = new List<string?>();
        var query = new AttemptQuery { Project = "ads", PageSize = 2 };
        var pages = 0;
        do
        {
            var page = await store.ListAttemptsAsync(query, Ct);
            seen.AddRange(page.Items.Select(a => $"{a.Session.SessionTime.Day}{a.RetryAttemptName}"));
            query = query with { ContinuationToken = page.ContinuationToken };
            pages++;
        }
        while (query.ContinuationToken is not null);

        CollectionAssert.AreEqual(new[] { "1retry1", "3", "2", "1" }, seen);
        Assert.AreEqual(2, pages);
        var failed = await store.ListAttemptsAsync(new AttemptQuery { Status = AttemptStatus.Error }, Ct);
        Assert.AreEqual("retry1", failed.Items.Single().RetryAttemptName);
        Assert.IsNull(failed.ContinuationToken);
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAttemptsAsync(new AttemptQuery { ContinuationToken = "forged" }, Ct));
    }

    [TestMethod]
    public async Task AFullLastPageHasNoContinuation()
    {
        var store = await OpenAsync();
        await store.UpsertSessionAsync(SessionRecord.Of(Session(day: 1)), Ct);
        await store.UpsertSessionAsync(SessionRecord.Of(Session(day: 2)), Ct);

        var page = await store.ListSessionsAsync(new SessionQuery { PageSize = 2 }, Ct);

        Assert.HasCount(2, page.Items);
        Assert.IsNull(page.ContinuationToken);
    }

    [TestMethod]
    public async Task SessionsAreFilteredByProjectAndWorkflow()
    {
        var store = await OpenAsync();
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
        var store = await OpenAsync();

        await Assert.ThrowsExactlyAsync<ArgumentException>(
            () => store.ListSessionsAsync(new SessionQuery { ContinuationToken = "x1" }, Ct));
    }

    [TestMethod]
    public async Task ASessionTimeKeepsItsOffsetAndIsUniqueInUtc()
    {
        var store = await OpenAsync();
        var tokyo = new SessionKey("ads", "daily", new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.FromHours(9)));
        var sameInstantUtc = tokyo with { SessionTime = tokyo.SessionTime.ToUniversalTime() };

        await store.UpsertSessionAsync(SessionRecord.Of(tokyo), Ct);
        await store.UpsertSessionAsync(SessionRecord.Of(sameInstantUtc), Ct);

        var stored = (await store.ListSessionsAsync(new SessionQuery(), Ct)).Items.Single();
        Assert.AreEqual(tokyo.SessionTime, stored.SessionTime);
        Assert.AreEqual(TimeSpan.FromHours(9), stored.SessionTime.Offset);
    }

    [TestMethod]
    public async Task WritingTheSameRecordTwiceLeavesOneRow()
    {
        var store = await OpenAsync();
        var record = TaskRow("a1", "+wf+load", TaskState.Running);

        await store.UpsertTaskAsync(record, Ct);
        await store.UpsertTaskAsync(record, Ct);

        var tasks = await store.GetTasksAsync("a1", Ct);
        Assert.HasCount(1, tasks);
        Assert.AreEqual(TaskState.Running, tasks[0].State);
    }

    [TestMethod]
    public async Task EveryFieldRoundTrips()
    {
        var store = await OpenAsync();
        var record = TaskRow("a1", "+wf+load^error", TaskState.Error, tries: 3) with
        {
            StartedAt = new DateTimeOffset(2024, 5, 1, 9, 0, 0, 123, TimeSpan.FromHours(9)),
            StoreParams = Json("""{"rows":42,"name":"x"}"""),
            ExportParams = Json("""{"table":"t"}"""),
            Error = "exit code 1\nlast line",
            LogReference = "/logs/+wf+load^error.try3.log",
        };

        await store.UpsertTaskAsync(record, Ct);

        var stored = (await store.GetTasksAsync("a1", Ct)).Single();
        Assert.AreEqual(record.TaskName, stored.TaskName);
        Assert.AreEqual(TaskState.Error, stored.State);
        Assert.AreEqual(3, stored.Tries);
        Assert.AreEqual(record.StartedAt, stored.StartedAt);
        Assert.AreEqual(record.StartedAt!.Value.Offset, stored.StartedAt!.Value.Offset);
        Assert.AreEqual(record.FinishedAt, stored.FinishedAt);
        Assert.AreEqual(42, stored.StoreParams!.Value.GetProperty("rows").GetInt32());
        Assert.AreEqual("t", stored.ExportParams!.Value.GetProperty("table").GetString());
        Assert.AreEqual(record.Error, stored.Error);
        Assert.AreEqual(record.LogReference, stored.LogReference);
    }

    [TestMethod]
    public async Task ParamsAnOperatorWroteWithSpacesReadBackAsCompactJson()
    {
        // A py> task's export arrives as Python's json.dumps wrote it; the record must read the same
        // whether the element reached the store as written or after a trip through serialized input.
        var store = await OpenAsync();
        var record = TaskRow("a1", "+wf+d", TaskState.Success, tries: 1) with
        {
            StoreParams = Json("""{"rows": 42, "names": ["x", "y"]}"""),
            ExportParams = Json("""{ "exported_d" : "d" }"""),
        };

        await store.UpsertTaskAsync(record, Ct);

        var stored = (await store.GetTasksAsync("a1", Ct)).Single();
        Assert.AreEqual("""{"rows":42,"names":["x","y"]}""", stored.StoreParams!.Value.GetRawText());
        Assert.AreEqual("""{"exported_d":"d"}""", stored.ExportParams!.Value.GetRawText());
    }

    [TestMethod]
    public async Task SequencedWritesKeepTheNewestWhateverTheirOrderOfArrival()
    {
        var store = await OpenAsync();

        // A group re-run: its child failed (sequence 2), then runs again from try 1 (sequence 3);
        // the batch carrying the older "error" arrives last and must not win.
        await store.UpsertTaskAsync(TaskRow("a1", "+wf+g+child", TaskState.Running) with { Sequence = 3 }, Ct);
        await store.UpsertTaskAsync(TaskRow("a1", "+wf+g+child", TaskState.Error) with { Sequence = 2 }, Ct);

        var stored = (await store.GetTasksAsync("a1", Ct)).Single();
        Assert.AreEqual(TaskState.Running, stored.State);
        Assert.AreEqual(3, stored.Sequence);

        await store.UpsertTaskAsync(TaskRow("a1", "+wf+g+child", TaskState.Success) with { Sequence = 4 }, Ct);
        Assert.AreEqual(TaskState.Success, (await store.GetTasksAsync("a1", Ct)).Single().State);
    }

    [TestMethod]
    public async Task LateRunningAfterSuccessOfTheSameTryChangesNothing()
    {
        var store = await OpenAsync();
        var success = TaskRow("a1", "+wf+load", TaskState.Success) with { StoreParams = Json("""{"k":1}""") };

        await store.UpsertTaskAsync(success, Ct);
        await store.UpsertTaskAsync(TaskRow("a1", "+wf+load", TaskState.Running), Ct);

        var stored = (await store.GetTasksAsync("a1", Ct)).Single();
        Assert.AreEqual(TaskState.Success, stored.State);
        Assert.AreEqual(1, stored.StoreParams!.Value.GetProperty("k").GetInt32());
        Assert.AreEqual(success.FinishedAt, stored.FinishedAt);
    }

    [TestMethod]
    public async Task TheNextTryReplacesAFinishedTry()
    {
        var store = await OpenAsync();

        await store.UpsertTaskAsync(TaskRow("a1", "+wf+flaky", TaskState.Error, tries: 1) with { Error = "503" }, Ct);
        await store.UpsertTaskAsync(TaskRow("a1", "+wf+flaky", TaskState.Running, tries: 2), Ct);

        var stored = (await store.GetTasksAsync("a1", Ct)).Single();
        Assert.AreEqual(TaskState.Running, stored.State);
        Assert.AreEqual(2, stored.Tries);
        Assert.IsNull(stored.Error);
    }

    [TestMethod]
    public async Task AWriteOfAnEarlierTryIsIgnored()
    {
        var store = await OpenAsync();

        await store.UpsertTaskAsync(TaskRow("a1", "+wf+flaky", TaskState.Running, tries: 2), Ct);
        await store.UpsertTaskAsync(TaskRow("a1", "+wf+flaky", TaskState.Error, tries: 1), Ct);

        var stored = (await store.GetTasksAsync("a1", Ct)).Single();
        Assert.AreEqual(TaskState.Running, stored.State);
        Assert.AreEqual(2, stored.Tries);
    }

    [TestMethod]
    public async Task TasksComeBackInTheOrderTheyWereFirstWritten()
    {
        var store = await OpenAsync();
        string[] names = ["+wf+c", "+wf+a", "+wf+b"];
        foreach (var name in names)
        {
            await store.UpsertTaskAsync(TaskRow("a1", name, TaskState.Running), Ct);
        }

        await store.UpsertTaskAsync(TaskRow("a2", "+other", TaskState.Running), Ct);
        // Updating the first task must not move it to the end.
        await store.UpsertTaskAsync(TaskRow("a1", "+wf+c", TaskState.Success), Ct);

        var tasks = await store.GetTasksAsync("a1", Ct);
        CollectionAssert.AreEqual(names, tasks.Select(t => t.TaskName).ToArray());
        Assert.AreEqual(TaskState.Success, tasks[0].State);
    }

    [TestMethod]
    public async Task ABatchAppliesTheSameRuleToEachRecord()
    {
        var store = await OpenAsync();
        await store.UpsertTaskAsync(TaskRow("a1", "+wf+done", TaskState.Success), Ct);

        await store.UpsertTasksAsync(
            [
                TaskRow("a1", "+wf+done", TaskState.Running),
                TaskRow("a1", "+wf+new", TaskState.Running),
                TaskRow("a1", "+wf+new", TaskState.Success),
                TaskRow("a1", "+wf+new", TaskState.Ready),
            ],
            Ct);

        var tasks = await store.GetTasksAsync("a1", Ct);
        CollectionAssert.AreEqual(
            new[] { ("+wf+done", TaskState.Success), ("+wf+new", TaskState.Success) },
            tasks.Select(t => (t.TaskName, t.State)).ToArray());
    }

    [TestMethod]
    public async Task AnUnknownAttemptHasNoTasks()
    {
        var store = await OpenAsync();

        Assert.IsEmpty(await store.GetTasksAsync("nope", Ct));
    }

    [TestMethod]
    public async Task RecordsSurviveReopening()
    {
        var store = await OpenAsync();
        await store.UpsertTaskAsync(TaskRow("a1", "+wf+load", TaskState.Success), Ct);

        var reopened = await OpenAsync();
        Assert.AreEqual(TaskState.Success, (await reopened.GetTasksAsync("a1", Ct)).Single().State);
    }

    [TestMethod]
    public async Task ManyConcurrentWritersLeaveOneRowPerTaskInItsLastState()
    {
        var store = await OpenAsync();
        const int taskCount = 500;
        // Each task is written by several "deliveries" racing in any order: ready, running,
        // success of try 1, and a re-delivered running of try 1 — the outcome must be success.
        var writes = Enumerable.Range(0, taskCount).SelectMany(i => new[]
        {
            TaskRow("a1", $"+wf+t{i}", TaskState.Ready),
            TaskRow("a1", $"+wf+t{i}", TaskState.Running),
            TaskRow("a1", $"+wf+t{i}", TaskState.Success),
            TaskRow("a1", $"+wf+t{i}", TaskState.Running),
        });

        await Task.WhenAll(writes.Select(record =>
            Task.Run(() => store.UpsertTaskAsync(record, Ct), Ct)));

        var tasks = await store.GetTasksAsync("a1", Ct);
        Assert.HasCount(taskCount, tasks);
        Assert.IsTrue(tasks.All(t => t.State == TaskState.Success));
        Assert.AreEqual(taskCount, tasks.Select(t => t.TaskName).Distinct().Count());
    }

    [TestMethod]
    public async Task TwoStoresOnOnePlaceWriteAtTheSameTime()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        await Task.WhenAll(
            Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? first : second)
                .UpsertTaskAsync(TaskRow("a1", $"+wf+t{i}", TaskState.Success), Ct)));

        Assert.HasCount(200, await first.GetTasksAsync("a1", Ct));
        Assert.HasCount(200, await second.GetTasksAsync("a1", Ct));
    }

    [TestMethod]
    public async Task TwoStoresRacingStaleAndFreshWritesOfTheSameTasksKeepEachTasksNewest()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        // Each task's deliveries are split between two hosts and arrive in any order, with a
        // re-delivered "running" of the finished try; every task must end as success.
        var writes = Enumerable.Range(0, 50).SelectMany(i => new[]
        {
            (first, TaskRow("a1", $"+wf+t{i}", TaskState.Running)),
            (second, TaskRow("a1", $"+wf+t{i}", TaskState.Success)),
            (first, TaskRow("a1", $"+wf+t{i}", TaskState.Running)),
            (second, TaskRow("a1", $"+wf+t{i}", TaskState.Ready)),
        });

        await Task.WhenAll(writes.Select(w => Task.Run(() => w.Item1.UpsertTaskAsync(w.Item2, Ct), Ct)));

        var tasks = await second.GetTasksAsync("a1", Ct);
        Assert.HasCount(50, tasks);
        Assert.IsTrue(tasks.All(t => t.State == TaskState.Success), "a stale write took a task backwards");
    }

    [TestMethod]
    public async Task TwoStoresAssignDistinctIndexesToNewAttempts()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        var session = Session();

        var attempts = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second)
                .UpsertAttemptAsync(Attempt(session, $"retry{i}"), Ct)));

        CollectionAssert.AreEquivalent(Enumerable.Range(1, 20).ToArray(), attempts.Select(a => a.Index).ToArray());
    }

    [TestMethod]
    public async Task AReaderOnAnotherStoreSeesWholeBatchesWhileTheWriterWrites()
    {
        var writer = await OpenAsync();
        var reader = await OpenAsync();
        const int batches = 20;
        const int batchSize = 500;

        var writing = Task.Run(
            async () =>
            {
                for (var b = 0; b < batches; b++)
                {
                    await writer.UpsertTasksAsync(
                        Enumerable.Range(0, batchSize).Select(i => TaskRow("a1", $"+wf+b{b}t{i}", TaskState.Success)).ToList(), Ct);
                }
            },
            Ct);

        var seen = new List<int>();
        while (!writing.IsCompleted)
        {
            seen.Add((await reader.GetTasksAsync("a1", Ct)).Count);
        }

        await writing;
        seen.Add((await reader.GetTasksAsync("a1", Ct)).Count);
        Assert.IsTrue(seen.All(count => count % batchSize == 0), $"a reader saw part of a batch: {string.Join(",", seen)}");
        Assert.IsTrue(seen.Zip(seen.Skip(1)).All(pair => pair.First <= pair.Second), "a reader saw records disappear");
        Assert.AreEqual(batches * batchSize, seen[^1]);
    }

    [TestMethod]
    public async Task AWriteCancelledBeforeItIsQueuedIsNotApplied()
    {
        var store = await OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(
            () => store.UpsertTaskAsync(TaskRow("a1", "+wf+t", TaskState.Running), cancelled.Token));

        Assert.IsEmpty(await store.GetTasksAsync("a1", Ct));
    }
}
