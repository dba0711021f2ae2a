using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Dispatch;

/// <summary>The activity workers' bound holds when a worker runs the next step of its sequence itself.</summary>
[TestClass]
public sealed class WorkerPoolTests
{
    [TestMethod]
    public async Task Sequences_run_side_by_side_never_run_more_activities_at_once_than_there_are_workers()
    {
        var running = 0;
        var most = 0;
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Step", async (_, x, cancellation) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Yield();
                Interlocked.Decrement(ref running);
                return x + 1;
            })
            .AddOrchestrator<int, int>("Sequence", async (context, n) =>
            {
                var x = 0;
                for (var i = 0; i < n; i++)
                {
                    x = await context.CallActivityAsync<int>("Step", x);
                }

                return x;
            });
        await using var runtime = await TestRuntime.StartAsync(registry, o => o with { ActivityWorkers = 2 });

        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add(await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Sequence", 15, new StartOrchestrationOptions($"sequence-{i}")));
        }

        foreach (var id in ids)
        {
            var done = await runtime.WaitAsync(id);
            Assert.AreEqual(15, done.ReadOutputAs<int>(), id);
        }

        Assert.IsLessThanOrEqualTo(2, most, "activities running at once");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
