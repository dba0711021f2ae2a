using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Tests.Storage;

/// <summary>
/// A large activity result that many orchestrations get (the workflow every part of a large group
/// loads) is stored once: each orchestration's history stays small, replays after a restart read
/// it whole, and it goes when the last orchestration that refers to it is purged.
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

    private static long Count(TestRuntime runtime, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={runtime.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
