using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Dispatch;

[TestClass]
public sealed class ConcurrencyTests
{
    [TestMethod]
    public async Task Many_instances_run_in_parallel_and_no_instance_is_ever_on_two_dispatchers_at_once()
    {
        const int instances = 100;
        const int events = 20;
        var inside = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Inc", x => x + 1)
            .AddOrchestrator<int>("Busy", async context =>
            {
                var total = 0;
                for (var i = 0; i < events; i++)
                {
                    // Orchestrator code runs inside a turn; two dispatchers on one instance would overlap here.
                    if (inside.AddOrUpdate(context.InstanceId, 1, (_, n) => n + 1) > 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    Thread.SpinWait(200);
                    inside.AddOrUpdate(context.InstanceId, 0, (_, n) => n - 1);
                    total += await context.WaitForExternalEvent<int>("tick");
                    total = await context.CallActivityAsync<int>("Inc", total);
                }

                return total;
            });
        await using var runtime = await TestRuntime.StartAsync(registry, o => o with { OrchestrationDispatchers = 4, ActivityWorkers = 4 });
        var ids = await Task.WhenAll(Enumerable.Range(0, instances).Select(i =>
            runtime.Client.ScheduleNewOrchestrationInstanceAsync("Busy", null, new StartOrchestrationOptions($"busy-{i:D3}"))));

        // Events from many threads at once, interleaved with the instances' own activity completions.
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, cancellation) =>
        {
            for (var e = 0; e < events; e++)
            {
                await runtime.Client.RaiseEventAsync(id, "tick", 1, cancellation);
            }
        });

        var results = await Task.WhenAll(ids.Select(runtime.WaitAsync));
        Assert.IsTrue(results.All(r => r.RuntimeStatus == OrchestrationRuntimeStatus.Completed && r.ReadOutputAs<int>() == 2 * events));
        Assert.AreEqual(0, overlaps);
    }
}
