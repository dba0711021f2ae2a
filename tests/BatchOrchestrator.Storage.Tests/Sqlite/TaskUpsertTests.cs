using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;
using static BatchOrchestrator.Storage.Tests.Sqlite.Records;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

[TestClass]
public sealed class TaskUpsertTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    [TestMethod]
    public async Task WritingTheSameRecordTwiceLeavesOneRow()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
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
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
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
    public async Task SequencedWritesKeepTheNewestWhateverTheirOrderOfArrival()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);

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
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
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
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);

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
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);

        await store.UpsertTaskAsync(TaskRow("a1", "+wf+flaky", TaskState.Running, tries: 2), Ct);
        await store.UpsertTaskAsync(TaskRow("a1", "+wf+flaky", TaskState.Error, tries: 1), Ct);

        var stored = (await store.GetTasksAsync("a1", Ct)).Single();
        Assert.AreEqual(TaskState.Running, stored.State);
        Assert.AreEqual(2, stored.Tries);
    }

    [TestMethod]
    public async Task TasksComeBackInTheOrderTheyWereFirstWritten()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
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
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
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
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);

        Assert.IsEmpty(await store.GetTasksAsync("nope", Ct));
    }

    [TestMethod]
    public async Task RecordsSurviveReopening()
    {
        using var folder = new TempFolder();
        var path = folder.File("state/runs.db");
        await using (var store = await SqliteRunStore.OpenAsync(path, Ct))
        {
            await store.UpsertTaskAsync(TaskRow("a1", "+wf+load", TaskState.Success), Ct);
        }

        await using var reopened = await SqliteRunStore.OpenAsync(path, Ct);
        Assert.AreEqual(TaskState.Success, (await reopened.GetTasksAsync("a1", Ct)).Single().State);
    }

    [TestMethod]
    public async Task ADatabaseOfAnotherSchemaVersionIsRefused()
    {
        using var folder = new TempFolder();
        var path = folder.File("runs.db");
        await using (await SqliteRunStore.OpenAsync(path, Ct))
        {
        }

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE run_schema SET version = 99";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => SqliteRunStore.OpenAsync(path, Ct));
        Assert.Contains("version 99", error.Message);
    }
}
