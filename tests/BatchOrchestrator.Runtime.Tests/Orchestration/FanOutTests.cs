using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Orchestration;

[TestClass]
public sealed class FanOutTests
{
    [TestMethod]
    public async Task Fan_out_fan_in_over_thousands_of_activities_gathers_every_result_in_order()
    {
        const int count = 5_000;
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Double", x => x * 2)
            .AddOrchestrator<int, int[]>("FanOut", async (context, n) =>
                await Task.WhenAll(Enumerable.Range(0, n).Select(i => context.CallActivityAsync<int>("Double", i))));
        await using var runtime = await TestRuntime.StartAsync(registry);

        var done = await runtime.RunAsync("FanOut", count);

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, done.FailureDetails?.ToString());
        CollectionAssert.AreEqual(Enumerable.Range(0, count).Select(i => i * 2).ToArray(), done.ReadOutputAs<int[]>());
        var history = await runtime.Client.GetHistoryAsync(done.InstanceId);
        Assert.AreEqual(count, history.Count(e => e.EventType == HistoryEventType.TaskScheduled));
        Assert.AreEqual(count, history.Count(e => e.EventType == HistoryEventType.TaskCompleted));
    }

    [TestMethod]
    public async Task WhenAny_returns_the_first_of_several_activities_to_finish()
    {
        using var release = new SemaphoreSlim(0);
        var registry = new OrchestrationRegistry()
            .AddActivity<string, string>("Fast", (_, name, _) => Task.FromResult(name))
            .AddActivity<string, string>("Slow", async (_, name, cancellation) =>
            {
                await release.WaitAsync(cancellation); // finishes only once the test has seen the winner
                return name;
            })
            .AddOrchestrator<string>("Race", async context =>
            {
                var slow1 = context.CallActivityAsync<string>("Slow", "slow-1");
                var fast = context.CallActivityAsync<string>("Fast", "fast");
                var slow2 = context.CallActivityAsync<string>("Slow", "slow-2");
                var first = await Task.WhenAny(slow1, fast, slow2);
                return await first;
            });
        await using var runtime = await TestRuntime.StartAsync(registry);

        var done = await runtime.RunAsync("Race");
        release.Release(2);

        Assert.AreEqual("fast", done.ReadOutputAs<string>());
    }
}
