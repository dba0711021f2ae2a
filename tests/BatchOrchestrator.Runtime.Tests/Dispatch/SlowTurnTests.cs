using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Dispatch;

/// <summary>
/// Turns whose code computes for long (templates at their budget) give up their dispatcher seats:
/// other instances' turns run meanwhile instead of waiting behind them.
/// </summary>
[TestClass]
public sealed class SlowTurnTests
{
    [TestMethod]
    public async Task An_instance_runs_while_slow_turns_hold_every_dispatcher()
    {
        using var release = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        var registry = new OrchestrationRegistry()
            .AddOrchestrator<string>("Slow", _ =>
            {
                // Stands for a template evaluating at its budget: the dispatcher's thread stays in the turn.
                entered.Release();
                release.Wait(Timeouts.Guard);
                return Task.FromResult("slow");
            })
            .AddOrchestrator<string>("Quick", _ => Task.FromResult("quick"));
        await using var runtime = await TestRuntime.StartAsync(registry, o => o with { OrchestrationDispatchers = 2 });
        await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Slow", null, new StartOrchestrationOptions("slow-1"));
        await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Slow", null, new StartOrchestrationOptions("slow-2"));
        for (var i = 0; i < 2; i++)
        {
            Assert.IsTrue(await entered.WaitAsync(Timeouts.Guard), "both dispatchers to be inside a slow turn");
        }

        var quick = await runtime.RunAsync("Quick");

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, quick.RuntimeStatus);
        Assert.AreEqual("quick", quick.ReadOutputAs<string>());
        Assert.IsFalse(release.IsSet);
        foreach (var id in new[] { "slow-1", "slow-2" })
        {
            var status = (await runtime.Client.GetInstanceAsync(id))!.RuntimeStatus;
            Assert.IsTrue(status is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running, $"{id} is still in its first turn ({status})");
        }

        release.Set();
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, (await runtime.WaitAsync("slow-1")).RuntimeStatus);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, (await runtime.WaitAsync("slow-2")).RuntimeStatus);
    }
}
