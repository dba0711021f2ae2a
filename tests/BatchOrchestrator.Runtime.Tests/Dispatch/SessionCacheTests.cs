using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Dispatch;

[TestClass]
public sealed class SessionCacheTests
{
    private static OrchestrationRegistry Registry(ConcurrentDictionary<string, int> starts) => new OrchestrationRegistry()
        .AddActivity<int, int>("Inc", x => x + 1)
        .AddOrchestrator<int, int>("Loop", async (context, n) =>
        {
            // Counts executions of the orchestrator's start: 1 if never replayed.
            starts.AddOrUpdate(context.InstanceId, 1, (_, c) => c + 1);
            var x = 0;
            for (var i = 0; i < n; i++)
            {
                x = await context.CallActivityAsync<int>("Inc", x);
            }

            return x + await context.WaitForExternalEvent<int>("last");
        });

    [TestMethod]
    public async Task A_cached_instance_takes_new_events_without_replaying_its_history()
    {
        var starts = new ConcurrentDictionary<string, int>();
        await using var runtime = await TestRuntime.StartAsync(Registry(starts));
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Loop", 200);
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted, 200);

        await runtime.Client.RaiseEventAsync(id, "last", 1);

        Assert.AreEqual(201, (await runtime.WaitAsync(id)).ReadOutputAs<int>());
        Assert.AreEqual(1, starts[id], "200 activity completions and an event, with no replay");
        Assert.AreEqual(0, runtime.Runtime!.Statistics.Replays);
    }

    [TestMethod]
    public async Task A_cold_instance_is_replayed_once_after_a_restart_then_cached()
    {
        var starts = new ConcurrentDictionary<string, int>();
        await using var runtime = await TestRuntime.StartAsync(Registry(starts));
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Loop", 50);
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted, 50);

        await runtime.RestartAsync(Registry(starts));
        await runtime.Client.RaiseEventAsync(id, "last", 1);

        Assert.AreEqual(51, (await runtime.WaitAsync(id)).ReadOutputAs<int>());
        Assert.AreEqual(2, starts[id], "once live, once replayed after the restart");
        Assert.AreEqual(1, runtime.Runtime!.Statistics.Replays);
    }

    [TestMethod]
    public async Task The_cache_evicts_beyond_its_capacity_and_evicted_instances_still_complete_correctly()
    {
        var starts = new ConcurrentDictionary<string, int>();
        await using var runtime = await TestRuntime.StartAsync(Registry(starts), o => o with { MaxCachedSessions = 3 });
        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => runtime.Client.ScheduleNewOrchestrationInstanceAsync("Loop", 10)));
        foreach (var id in ids)
        {
            await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted, 10);
        }

        Assert.IsLessThanOrEqualTo(3, runtime.Runtime!.Statistics.CachedSessions);
        foreach (var id in ids)
        {
            await runtime.Client.RaiseEventAsync(id, "last", 5);
        }

        var results = await Task.WhenAll(ids.Select(runtime.WaitAsync));
        Assert.IsTrue(results.All(r => r.ReadOutputAs<int>() == 15));
        Assert.IsGreaterThan(0, runtime.Runtime.Statistics.Replays, "evicted instances were rebuilt from history");
    }
}
