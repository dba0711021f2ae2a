using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;
using BatchOrchestrator.Storage.Tests.Contracts;
using static BatchOrchestrator.Storage.Tests.Sqlite.Records;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

/// <summary>The run store contract on a SQLite file, and what only SQLite has (a schema version, one writer connection).</summary>
[TestClass]
public sealed class SqliteRunStoreTests : RunStoreContractTests
{
    private readonly TempFolder _folder = new();

    protected override async Task<IRunStore> OpenCoreAsync() => await SqliteRunStore.OpenAsync(_folder.File("state/runs.db"), Ct);

    protected override void DeletePlace() => _folder.Dispose();

    [TestMethod]
    public async Task A_page_of_attempts_reads_only_its_rows_however_many_sessions_there_are()
    {
        using var folder = new TempFolder();
        var path = folder.File("runs.db");
        await using (var store = await SqliteRunStore.OpenAsync(path, Ct))
        {
            for (var i = 0; i < 2_000; i++)
            {
                await store.UpsertAttemptAsync(Attempt(Session(day: 1 + (i % 28), workflow: $"w{i / 28}")) with { CreatedAt = T0.AddMinutes(i) }, Ct);
            }
        }

        // The oldest attempt is made unreadable: a store that reads every session to answer a page fails on it.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE run_attempts SET status = 'unreadable' WHERE seq = (SELECT MIN(seq) FROM run_attempts)";
            Assert.AreEqual(1, await command.ExecuteNonQueryAsync(Ct));
        }

        await using (var store = await SqliteRunStore.OpenAsync(path, Ct))
        {
            var first = await store.ListAttemptsAsync(new AttemptQuery { PageSize = 1 }, Ct);
            Assert.AreEqual(T0.AddMinutes(1_999), first.Items.Single().CreatedAt);
            var second = await store.ListAttemptsAsync(new AttemptQuery { PageSize = 1, ContinuationToken = first.ContinuationToken }, Ct);
            Assert.AreEqual(T0.AddMinutes(1_998), second.Items.Single().CreatedAt);
            await Assert.ThrowsAsync<Exception>(() => store.ListAttemptsAsync(new AttemptQuery { PageSize = 2_000 }, Ct), "the unreadable row is there to be read");
        }
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

        var error = await Assert.ThrowsExactlyAsync<StoreUnavailableException>(() => SqliteRunStore.OpenAsync(path, Ct));
        Assert.Contains("version 99", error.Message);
        Assert.AreEqual(StoreFailure.NewerSchema, error.Failure);
        Assert.AreEqual(path, error.Path);
    }

    [TestMethod]
    public async Task A_file_that_is_not_a_database_is_refused_as_corrupt_naming_it()
    {
        using var folder = new TempFolder();
        var path = folder.File("runs.db");
        await File.WriteAllTextAsync(path, "notes, not a database\n", Ct);

        var error = await Assert.ThrowsExactlyAsync<StoreUnavailableException>(() => SqliteRunStore.OpenAsync(path, Ct));

        Assert.AreEqual(StoreFailure.Corrupt, error.Failure, error.Message);
        Assert.AreEqual(path, error.Path);
        Assert.Contains(path, error.Message);
        Assert.Contains("not a SQLite database or is corrupt", error.Message);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("-wal")]
    public async Task A_folder_where_the_database_or_its_log_belongs_is_refused_naming_it(string suffix)
    {
        using var folder = new TempFolder();
        var path = folder.File("runs.db");
        var blocking = Directory.CreateDirectory(path + suffix).FullName;

        var error = await Assert.ThrowsExactlyAsync<StoreUnavailableException>(() => SqliteRunStore.OpenAsync(path, Ct));

        Assert.AreEqual(StoreFailure.WrongKind, error.Failure, error.Message);
        Assert.AreEqual(blocking, error.Path);
    }

    [TestMethod]
    public async Task AVersion1DatabaseGainsTheStartedTriesTableAndKeepsItsRecords()
    {
        using var folder = new TempFolder();
        // What a version 1 store is: the same tables without run_started_tries.
        var path = await OlderStoreAsync(folder, "DROP TABLE run_started_tries; UPDATE run_schema SET version = 1");

        await using (var store = await SqliteRunStore.OpenAsync(path, Ct))
        {
            await store.UpsertStartedTryAsync(new StartedTry { AttemptId = "a1", TaskName = "+t", Try = 0, Executor = "local" }, Ct);
            Assert.HasCount(1, await store.GetStartedTriesAsync("a1", Ct));
            Assert.AreEqual(TaskState.Running, (await store.GetTasksAsync("a1", Ct)).Single().State);
        }
    }

    [TestMethod]
    public async Task AVersion2StoreGainsTheSharedEnvironmentsAndKeepsWhatItHad()
    {
        using var folder = new TempFolder();
        // What a version 2 store is: the same tables without run_shared_environments.
        var path = await OlderStoreAsync(folder, "DROP TABLE run_shared_environments; UPDATE run_schema SET version = 2");

        await using (var store = await SqliteRunStore.OpenAsync(path, Ct))
        {
            var variables = new Dictionary<string, string> { ["session_time"] = "2026-01-01T00:00:00+00:00", ["retry_attempt_name"] = "null" };
            await store.SaveSharedEnvironmentAsync("a1", "k1", variables, Ct);
            await store.SaveSharedEnvironmentAsync("a1", "k1", variables, Ct);

            CollectionAssert.AreEquivalent(variables.ToList(), (await store.GetSharedEnvironmentAsync("k1", Ct))!.ToList());
            Assert.IsNull(await store.GetSharedEnvironmentAsync("k2", Ct));
            Assert.AreEqual(TaskState.Running, (await store.GetTasksAsync("a1", Ct)).Single().State);
        }
    }

    /// <summary>A store with one running task, then taken back to an older schema by <paramref name="downgrade"/>.</summary>
    private async Task<string> OlderStoreAsync(TempFolder folder, string downgrade)
    {
        var path = folder.File("runs.db");
        await using (var store = await SqliteRunStore.OpenAsync(path, Ct))
        {
            await store.UpsertTaskAsync(TaskRow("a1", "+t", TaskState.Running), Ct);
        }

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = downgrade;
        await command.ExecuteNonQueryAsync(Ct);
        return path;
    }

    [TestMethod]
    public async Task OneBadWriteInABatchFailsOnlyItsCaller()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        var session = Session();
        await store.UpsertAttemptAsync(Attempt(session) with { Index = 1 }, Ct);

        // An explicit index that is taken violates the session's unique index.
        var clash = store.UpsertAttemptAsync(Attempt(session, "other") with { Index = 1 }, Ct);
        var fine = Enumerable.Range(0, 50).Select(i => store.UpsertTaskAsync(TaskRow("a1", $"+t{i}", TaskState.Running), Ct)).ToList();

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => clash);
        await Task.WhenAll(fine);
        Assert.HasCount(50, await store.GetTasksAsync("a1", Ct));
    }

    [TestMethod]
    public async Task A_lone_write_to_an_idle_store_is_committed_by_the_time_the_call_returns()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        var (attempt, started) = await AttemptWithMarkAsync(store);

        // A launch's mark: nothing else is writing, so the caller commits it itself, with no hand-off to the writer's loop and back.
        var mark = store.UpsertStartedTryAsync(started, Ct);

        Assert.IsTrue(mark.IsCompletedSuccessfully, "committed before the call returned");
        Assert.AreEqual(0, mark.Result);
        Assert.AreEqual("attempt#1", (await store.GetStartedTriesAsync(attempt.AttemptId, Ct)).Single().Launch);
    }

    [TestMethod]
    public async Task Writes_issued_one_after_another_without_waiting_commit_in_that_order()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), Ct);
        var (attempt, started) = await AttemptWithMarkAsync(store);

        // Other writers keep the loop busy, so some marks queue and some may find the writer idle;
        // each delivery still counts exactly the deliveries issued before it.
        var others = Enumerable.Range(0, 200).Select(i => Task.Run(() => store.UpsertTaskAsync(TaskRow(attempt.AttemptId, $"+o{i}", TaskState.Running), Ct), Ct)).ToList();
        var marks = Enumerable.Range(0, 40).Select(_ => store.UpsertStartedTryAsync(started, Ct)).ToList();

        CollectionAssert.AreEqual(Enumerable.Range(0, 40).ToList(), (await Task.WhenAll(marks)).ToList());
        await Task.WhenAll(others);
        Assert.HasCount(200, await store.GetTasksAsync(attempt.AttemptId, Ct));
    }

    private async Task<(AttemptRecord Attempt, StartedTry Mark)> AttemptWithMarkAsync(SqliteRunStore store)
    {
        var attempt = await store.UpsertAttemptAsync(Attempt(Session()), Ct);
        return (attempt, new StartedTry { AttemptId = attempt.AttemptId, TaskName = "+t", Try = 0, Executor = "local", Launch = "attempt#1" });
    }

    [TestMethod]
    public async Task Each_launchs_started_try_writes_and_status_reads_run_statements_prepared_once()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteRunStore.OpenAsync(folder.File("runs.db"), listStatements: true, Ct);
        var attempt = await store.UpsertAttemptAsync(Attempt(Session()), Ct);
        var state = new Engine.Executors.CommandState("local", Json("""{"pid":42}"""));

        // What every `sh>` task does to the run store: its mark, a status read, its state, a status read.
        for (var i = 0; i < 50; i++)
        {
            var started = new StartedTry { AttemptId = attempt.AttemptId, TaskName = $"+t{i}", Try = 0, Executor = "local", Launch = "attempt#1" };
            Assert.AreEqual(0, await store.UpsertStartedTryAsync(started, Ct));
            Assert.AreEqual(AttemptStatus.Running, (await store.GetAttemptAsync(attempt.AttemptId, Ct))!.Status);
            await store.UpsertStartedTryAsync(started with { Command = state }, Ct);
            Assert.AreEqual(AttemptStatus.Running, (await store.GetAttemptAsync(attempt.AttemptId, Ct))!.Status);
        }

        Assert.HasCount(50, await store.GetStartedTriesAsync(attempt.AttemptId, Ct));
        var statements = await store.StatementsAsync(Ct);
        var upserts = statements.Where(s => s.Sql.TrimStart().StartsWith("INSERT INTO run_started_tries", StringComparison.Ordinal)).ToList();
        var marks = statements.Where(s => s.Sql.StartsWith("SELECT json_extract(body, '$.launch')", StringComparison.Ordinal)).ToList();
        var reads = statements.Where(s => s.Sql.Contains("WHERE a.attempt_id = $id", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(100, upserts.Single().Runs, "one prepared upsert for all 100 writes");
        Assert.AreEqual(50, marks.Single().Runs, "one prepared read of the stored launch for the 50 marks");
        Assert.AreEqual(100, reads.Single().Runs, "one prepared status read for all 100 reads");
    }

    [TestMethod]
    public async Task A_closed_store_leaves_its_wal_and_the_next_open_reads_every_record_written_before_the_close()
    {
        using var folder = new TempFolder();
        var path = folder.File("runs.db");
        var attempt = Attempt(Session(), status: AttemptStatus.Success);
        await using (var store = await SqliteRunStore.OpenAsync(path, Ct))
        {
            await store.UpsertAttemptAsync(attempt, Ct);
            await store.UpsertTaskAsync(TaskRow(attempt.AttemptId, "+done", TaskState.Success), Ct);
        }

        // No checkpoint at the close: the records are in the WAL beside the file, not yet in the file.
        Assert.IsGreaterThan(0L, new FileInfo(path + "-wal").Length, "the close left the WAL");

        await using (var reopened = await SqliteRunStore.OpenAsync(path, Ct))
        {
            var attempts = await reopened.ListAttemptsAsync(new AttemptQuery { PageSize = 10 }, Ct);
            Assert.AreEqual(AttemptStatus.Success, attempts.Items.Single().Status);
            Assert.AreEqual(TaskState.Success, (await reopened.GetTasksAsync(attempt.AttemptId, Ct)).Single().State);
        }
    }
}
