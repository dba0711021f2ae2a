using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Storage;
using BatchOrchestrator.Runtime.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Tests.Storage;

/// <summary>
/// A pending activity keeps its input across a restart, whether its work item refers to its
/// TaskScheduled event (schema versions 2 to 4) or holds the input itself (a database of version 1);
/// a database of an earlier version is migrated when opened, its history kept event for event; one
/// written by a newer version is refused and left as it was.
/// </summary>
[TestClass]
public sealed class SchemaMigrationTests
{
    private const string Input = "payload with \"quotes\", a \\ and ünïcödé";

    [TestMethod]
    public async Task An_activity_pending_at_a_restart_runs_with_the_input_of_its_scheduled_event()
    {
        await using var runtime = await StartWithPendingActivityAsync();

        await runtime.RestartAsync(Registry(gate: null));
        var done = await runtime.WaitAsync("pending");

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, done.FailureDetails?.ToString());
        Assert.AreEqual(Input, done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task A_version_1_database_is_migrated_on_open_and_its_pending_activity_runs_with_its_inline_input()
    {
        await using var runtime = await StartWithPendingActivityAsync();
        await DowngradeToVersion2Async(runtime.DatabasePath);
        await DowngradeToVersion1Async(runtime.DatabasePath);

        await runtime.RestartAsync(Registry(gate: null));
        var done = await runtime.WaitAsync("pending");

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, done.FailureDetails?.ToString());
        Assert.AreEqual(Input, done.ReadOutputAs<string>());
        Assert.AreEqual(4L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT version FROM schema_info"));
        Assert.AreEqual(1L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT count(*) FROM pragma_table_info('history') WHERE name = 'id'"));
        Assert.AreEqual(1L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT count(*) FROM pragma_table_info('activity_queue') WHERE name = 'history_seq'"));
        Assert.AreEqual(0L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT count(*) FROM sqlite_sequence WHERE name = 'activity_queue'"));
        Assert.AreEqual(1L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT count(*) FROM pragma_index_list('payloads') WHERE name = 'ix_payloads_hash' AND \"unique\" = 1"));
    }

    [TestMethod]
    public async Task A_database_of_a_newer_version_is_refused_naming_both_versions_and_is_left_as_it_was()
    {
        await using var runtime = await StartWithPendingActivityAsync();
        await DatabaseProbe.RewriteAsync(runtime.DatabasePath, "UPDATE schema_info SET version = 5");
        var before = await EventsAsync(runtime.DatabasePath);

        var error = await Assert.ThrowsExactlyAsync<DurableStoreException>(() => runtime.RestartAsync(Registry(gate: null)));

        Assert.AreEqual(BatchOrchestrator.Engine.Stores.StoreFailure.NewerSchema, error.Failure);
        Assert.Contains(runtime.DatabasePath, error.Message);
        Assert.Contains("schema version 5, written by a newer version of the runtime", error.Message);
        Assert.Contains("reads versions up to 4", error.Message);
        Assert.AreEqual(5L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT version FROM schema_info"));
        CollectionAssert.AreEqual(before, await EventsAsync(runtime.DatabasePath), "no event changed");
        Assert.AreEqual(1L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT count(*) FROM activity_queue"));

        // Nothing was held or half-written: as the version it knows, the file opens and the instance runs on.
        await DatabaseProbe.RewriteAsync(runtime.DatabasePath, "UPDATE schema_info SET version = 4");
        await runtime.RestartAsync(Registry(gate: null));
        var done = await runtime.WaitAsync("pending");
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, done.FailureDetails?.ToString());
        Assert.AreEqual(Input, done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task A_version_2_database_keeps_its_history_in_order_through_the_migration_and_runs_on()
    {
        await using var runtime = await StartWithPendingActivityAsync();
        await DowngradeToVersion2Async(runtime.DatabasePath);
        var before = await EventsAsync(runtime.DatabasePath);

        await runtime.RestartAsync(Registry(gate: null));
        var done = await runtime.WaitAsync("pending");

        var after = await EventsAsync(runtime.DatabasePath);
        Assert.IsGreaterThan(before.Count, after.Count, "the instance went on writing history");
        CollectionAssert.AreEqual(before, after.Take(before.Count).ToList(), "every event kept, in its place");
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, done.FailureDetails?.ToString());
        Assert.AreEqual(Input, done.ReadOutputAs<string>());
        Assert.AreEqual(4L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT version FROM schema_info"));
        Assert.AreEqual(1L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT count(*) FROM pragma_index_list('history') WHERE name = 'ix_history_instance' AND \"unique\" = 1"));
        Assert.AreEqual(0L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT count(*) FROM sqlite_master WHERE name = 'history_v3'"));
    }

    private static OrchestrationRegistry Registry(TaskCompletionSource? gate) => new OrchestrationRegistry()
        .AddActivity<string, string>("Echo", async (_, text, cancellation) =>
        {
            if (gate is not null)
            {
                await gate.Task.WaitAsync(cancellation);
            }

            return text;
        })
        .AddOrchestrator<string, string>("Once", async (context, text) => await context.CallActivityAsync<string>("Echo", text));

    /// <summary>A runtime stopped while its only activity runs: the activity's work item stays in the database.</summary>
    private static async Task<TestRuntime> StartWithPendingActivityAsync()
    {
        var never = new TaskCompletionSource();
        var runtime = await TestRuntime.StartAsync(Registry(never));
        await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Once", Input, new StartOrchestrationOptions("pending"));
        await runtime.WaitForHistoryAsync("pending", HistoryEventType.TaskScheduled);
        await runtime.StopAsync();
        Assert.AreEqual(1L, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT count(*) FROM activity_queue"));
        return runtime;
    }

    /// <summary>The instance's events in order, each with its seq, read from beside the runtime.</summary>
    private static async Task<List<string>> EventsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, event FROM history WHERE instance_id = 'pending' ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<string>();
        while (await reader.ReadAsync())
        {
            events.Add($"{reader.GetInt64(0)}: {reader.GetString(1)}");
        }

        return events;
    }

    /// <summary>History as versions 1 and 2 wrote it: a <c>WITHOUT ROWID</c> table keyed by (instance, seq).</summary>
    private static async Task DowngradeToVersion2Async(string database)
    {
        await DatabaseProbe.RewriteAsync(database, """
            BEGIN;
            CREATE TABLE history_v2 (
                instance_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                event TEXT NOT NULL,
                PRIMARY KEY (instance_id, seq)
            ) WITHOUT ROWID;
            INSERT INTO history_v2 (instance_id, seq, event) SELECT instance_id, seq, event FROM history;
            DROP TABLE history;
            ALTER TABLE history_v2 RENAME TO history;
            UPDATE schema_info SET version = 2;
            COMMIT;
            """);
        Assert.AreEqual(0L, await DatabaseProbe.CountAsync(database, "SELECT count(*) FROM pragma_table_info('history') WHERE name = 'id'"));
    }

    /// <summary>The work queue as version 1 wrote it: AUTOINCREMENT ids and the input held inline; and, as its first files, no payloads table.</summary>
    private static async Task DowngradeToVersion1Async(string database)
    {
        await DatabaseProbe.RewriteAsync(database, """
            BEGIN;
            CREATE TABLE activity_queue_v1 (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                instance_id TEXT NOT NULL,
                execution_id TEXT NOT NULL,
                task_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                input TEXT
            );
            INSERT INTO activity_queue_v1 (instance_id, execution_id, task_id, name, input)
                SELECT a.instance_id, a.execution_id, a.task_id, a.name, json_extract(h.event, '$.Payload')
                FROM activity_queue a JOIN history h ON h.instance_id = a.instance_id AND h.seq = a.history_seq;
            DROP TABLE activity_queue;
            ALTER TABLE activity_queue_v1 RENAME TO activity_queue;
            CREATE INDEX ix_activity_queue_instance ON activity_queue (instance_id);
            DROP TABLE payloads;
            UPDATE schema_info SET version = 1;
            COMMIT;
            """);
        Assert.AreEqual(1L, await DatabaseProbe.CountAsync(database, "SELECT count(*) FROM activity_queue WHERE input IS NOT NULL"));
    }
}
