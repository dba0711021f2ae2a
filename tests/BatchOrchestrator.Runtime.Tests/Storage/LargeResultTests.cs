using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Tests.Storage;

/// <summary>
/// A large activity result that many orchestrations get (the workflow every part of a large group
/// loads) is stored once: each orchestration's history stays small, replays after a restart read
/// it whole, and it goes when the last orchestration that refers to it is purged. A commit that
/// fails stores nothing, and a database of schema version 3 keeps its results through the migration.
/// </summary>
[TestClass]
public sealed class LargeResultTests
{
    // 100 KB, with quotes and newlines that JSON escapes.
    private static readonly string Source = string.Concat(Enumerable.Range(0, 5000).Select(i => $"+t{i:D5}: \"x\"\n"));

    private static OrchestrationRegistry Registry() => new OrchestrationRegistry()
        .AddActivity<string, string>("Load", _ => Source)
        .AddOrchestrator<string>("UseSource", async context =>
        {
            var source = await context.CallActivityAsync<string>("Load", "workflow");
            var go = await context.WaitForExternalEvent<string>("Go");
            return $"{go}:{source.Length}:{source == Source}";
        });

    [TestMethod]
    public async Task A_large_result_given_to_many_orchestrations_is_stored_once_and_each_history_stays_small()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await runtime.Client.ScheduleNewOrchestrationInstanceAsync("UseSource", null, new StartOrchestrationOptions($"use-{i}")));
        }

        foreach (var id in ids)
        {
            await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted);
            await runtime.Client.RaiseEventAsync(id, "Go", "go");
            Assert.AreEqual($"go:{Source.Length}:True", (await runtime.WaitAsync(id)).ReadOutputAs<string>());
        }

        var history = await runtime.Client.GetHistoryAsync(ids[0]);
        Assert.AreEqual(System.Text.Json.JsonSerializer.Serialize(Source), history.Single(e => e.EventType == HistoryEventType.TaskCompleted).Payload, "history reads the result as it was");
        Assert.AreEqual(1L, Count(runtime, "SELECT count(*) FROM payloads"));
        foreach (var id in ids)
        {
            var bytes = Count(runtime, $"SELECT sum(length(event)) FROM history WHERE instance_id = '{id}'");
            Assert.IsLessThan(4_000L, bytes, $"history of {id}: {bytes} bytes, against a result of {Source.Length}");
        }
    }

    [TestMethod]
    public async Task A_large_result_in_history_is_read_whole_by_the_replay_after_a_restart()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("UseSource");
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted);

        await runtime.RestartAsync(Registry());
        await runtime.Client.RaiseEventAsync(id, "Go", "after restart");

        Assert.AreEqual($"after restart:{Source.Length}:True", (await runtime.WaitAsync(id)).ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task Purging_the_last_orchestration_that_refers_to_a_large_result_deletes_it()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        foreach (var id in new[] { "first", "second" })
        {
            await runtime.Client.ScheduleNewOrchestrationInstanceAsync("UseSource", null, new StartOrchestrationOptions(id));
            await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted);
            await runtime.Client.RaiseEventAsync(id, "Go", "go");
            await runtime.WaitAsync(id);
        }

        await runtime.Client.PurgeInstanceAsync("first");
        Assert.AreEqual(1L, Count(runtime, "SELECT count(*) FROM payloads"), "the second still refers to it");
        await runtime.Client.PurgeInstanceAsync("second");
        Assert.AreEqual(0L, Count(runtime, "SELECT count(*) FROM payloads"));
    }

    [TestMethod]
    public async Task A_large_result_given_again_after_a_purge_deleted_it_is_stored_again_and_replays_after_a_restart()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        // Three orchestrations get it before any is purged: the later ones find it stored by an earlier commit.
        string[] ids = ["first", "second", "third"];
        foreach (var id in ids)
        {
            await runtime.Client.ScheduleNewOrchestrationInstanceAsync("UseSource", null, new StartOrchestrationOptions(id));
            await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted);
            await runtime.Client.RaiseEventAsync(id, "Go", "go");
            await runtime.WaitAsync(id);
        }

        foreach (var id in ids)
        {
            await runtime.Client.PurgeInstanceAsync(id);
        }

        Assert.AreEqual(0L, Count(runtime, "SELECT count(*) FROM payloads"));
        var again = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("UseSource", null, new StartOrchestrationOptions("again"));
        await runtime.WaitForHistoryAsync(again, HistoryEventType.TaskCompleted);

        Assert.AreEqual(1L, Count(runtime, "SELECT count(*) FROM payloads"), "the history refers to it");
        await runtime.RestartAsync(Registry());
        await runtime.Client.RaiseEventAsync(again, "Go", "after restart");
        Assert.AreEqual($"after restart:{Source.Length}:True", (await runtime.WaitAsync(again)).ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task A_version_3_database_keeps_its_large_result_and_the_histories_that_refer_to_it_and_its_instances_run_on()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        string[] before = ["first", "second"];
        foreach (var id in before)
        {
            await runtime.Client.ScheduleNewOrchestrationInstanceAsync("UseSource", null, new StartOrchestrationOptions(id));
            await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted);
        }

        await runtime.StopAsync();
        await DatabaseProbe.RewriteAsync(runtime.DatabasePath, """
            BEGIN;
            CREATE TABLE payloads_v3 (
                hash TEXT PRIMARY KEY,
                body TEXT NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO payloads_v3 (hash, body) SELECT hash, body FROM payloads;
            DROP TABLE payloads;
            ALTER TABLE payloads_v3 RENAME TO payloads;
            UPDATE schema_info SET version = 3;
            COMMIT;
            """);
        Assert.AreEqual(0L, Count(runtime, "SELECT count(*) FROM pragma_table_info('payloads') WHERE name = 'id'"), "the table as version 3 wrote it");
        Assert.AreEqual(2L, Count(runtime, References), "both histories refer to the one payload");

        await runtime.RestartAsync(Registry());

        Assert.AreEqual(4L, Count(runtime, "SELECT version FROM schema_info"));
        Assert.AreEqual(1L, Count(runtime, "SELECT count(*) FROM pragma_table_info('payloads') WHERE name = 'id'"), "a rowid table");
        Assert.AreEqual(1L, Count(runtime, "SELECT count(*) FROM pragma_index_list('payloads') WHERE name = 'ix_payloads_hash' AND \"unique\" = 1"));
        Assert.AreEqual(0L, Count(runtime, "SELECT count(*) FROM sqlite_master WHERE name = 'payloads_v4'"));
        Assert.AreEqual(2L, Count(runtime, References), "the references still find their payload");
        foreach (var id in before)
        {
            // The restart emptied memory: each replay reads the result from the migrated table.
            await runtime.Client.RaiseEventAsync(id, "Go", "migrated");
            Assert.AreEqual($"migrated:{Source.Length}:True", (await runtime.WaitAsync(id)).ReadOutputAs<string>());
        }

        var after = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("UseSource", null, new StartOrchestrationOptions("after"));
        await runtime.WaitForHistoryAsync(after, HistoryEventType.TaskCompleted);
        Assert.AreEqual(1L, Count(runtime, "SELECT count(*) FROM payloads"), "found under its hash, not stored again");
        Assert.AreEqual(3L, Count(runtime, References));

        foreach (var id in before)
        {
            await runtime.Client.PurgeInstanceAsync(id);
        }

        Assert.AreEqual(1L, Count(runtime, "SELECT count(*) FROM payloads"), "the instance started after the migration still refers to it");
        await runtime.Client.RaiseEventAsync(after, "Go", "go");
        Assert.AreEqual($"go:{Source.Length}:True", (await runtime.WaitAsync(after)).ReadOutputAs<string>());
        await runtime.Client.PurgeInstanceAsync(after);
        Assert.AreEqual(0L, Count(runtime, "SELECT count(*) FROM payloads"));
    }

    [TestMethod]
    public async Task A_large_result_whose_commit_was_rolled_back_is_stored_by_the_retry_that_commits()
    {
        var registry = Registry().AddOrchestrator<string, int>("Keep", (_, text) => Task.FromResult(text.Length));
        await using var runtime = await TestRuntime.StartAsync(registry);
        // A finished instance holds the room the large result needs until it is purged.
        await runtime.RunAsync("Keep", new string('f', 1024 * 1024), "filler");
        await runtime.StopAsync();
        await DatabaseProbe.RewriteAsync(runtime.DatabasePath, "VACUUM"); // no free pages left for the result to take
        var full = Count(runtime, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size") + 32 * 1024;
        var log = new RecordingLoggerFactory();
        await runtime.RestartAsync(registry, o => o with { MaxDatabaseBytes = full }, log);

        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("UseSource", null, new StartOrchestrationOptions("large"));
        await Eventually.TrueAsync(
            () => Task.FromResult(log.Messages.Any(m => m.StartsWith("Committing", StringComparison.Ordinal) && m.Contains("failed", StringComparison.Ordinal))),
            "the commit of the large result to fail on the full database");
        Assert.AreEqual(0L, Count(runtime, "SELECT count(*) FROM payloads"), "the failed commit left no payload");

        await runtime.Client.PurgeInstanceAsync("filler");
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted);

        Assert.AreEqual(1L, Count(runtime, "SELECT count(*) FROM payloads"), "the retry stored it with the event that refers to it");
        Assert.AreEqual(1L, Count(runtime, References));
        await runtime.RestartAsync(registry);
        await runtime.Client.RaiseEventAsync(id, "Go", "after restart");
        Assert.AreEqual($"after restart:{Source.Length}:True", (await runtime.WaitAsync(id)).ReadOutputAs<string>());
    }

    // Events that refer to the stored payload by its hash.
    private const string References = "SELECT count(*) FROM history WHERE instr(event, '#payload:' || (SELECT hash FROM payloads)) > 0";

    private static long Count(TestRuntime runtime, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={runtime.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
