using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Orchestration;

[TestClass]
public sealed class RestartTests
{
    private static OrchestrationRegistry Registry(Action? onStep = null) => new OrchestrationRegistry()
        .AddActivity<int, int>("Step", x =>
        {
            onStep?.Invoke();
            return x + 1;
        })
        .AddOrchestrator<int>("StepThenTimer", async context =>
        {
            var x = await context.CallActivityAsync<int>("Step", 0);
            await context.CreateTimer(context.CurrentUtcDateTime.AddMilliseconds(context.GetInput<int>()), CancellationToken.None);
            return await context.CallActivityAsync<int>("Step", x);
        })
        .AddOrchestrator<string>("StepThenEvent", async context =>
        {
            var x = await context.CallActivityAsync<int>("Step", 0);
            var name = await context.WaitForExternalEvent<string>("Name");
            return $"{name}:{x}";
        })
        .AddOrchestrator<string>("Waiter", context => context.WaitForExternalEvent<string>("Go"))
        .AddOrchestrator<string>("ParentOfWaiter", async context =>
            "child said " + await context.CallSubOrchestratorAsync<string>("Waiter", null, new SubOrchestrationOptions("restart-child")));

    [TestMethod]
    public async Task A_pending_timer_fires_after_a_restart_and_completed_activities_do_not_run_again()
    {
        var steps = 0;
        var registry = Registry(() => Interlocked.Increment(ref steps));
        await using var runtime = await TestRuntime.StartAsync(registry);
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("StepThenTimer", 500);
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TimerCreated);

        await runtime.RestartAsync(registry);

        var done = await runtime.WaitAsync(id);
        Assert.AreEqual(2, done.ReadOutputAs<int>());
        Assert.AreEqual(2, steps, "the first step's result came from history, not from running it again");
    }

    [TestMethod]
    public async Task An_event_wait_survives_a_restart()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("StepThenEvent");
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted);

        await runtime.RestartAsync(Registry());
        await runtime.Client.RaiseEventAsync(id, "Name", "batch");

        Assert.AreEqual("batch:1", (await runtime.WaitAsync(id)).ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task A_pending_sub_orchestration_completes_after_a_restart()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("ParentOfWaiter");
        await Eventually.TrueAsync(async () => (await runtime.Client.GetInstanceAsync("restart-child"))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "the child to start");

        await runtime.RestartAsync(Registry());
        await runtime.Client.RaiseEventAsync("restart-child", "Go", "hello");

        Assert.AreEqual("child said hello", (await runtime.WaitAsync(id)).ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task A_clean_stop_leaves_the_wal_and_the_next_start_sees_every_completed_instance_and_its_history()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("StepThenTimer", 0);
        Assert.AreEqual(2, (await runtime.WaitAsync(id)).ReadOutputAs<int>());
        var history = (await runtime.Client.GetHistoryAsync(id)).Count;

        await runtime.StopAsync();
        // No checkpoint at the stop: what the run committed is in the WAL beside the file, which the next start replays.
        Assert.IsGreaterThan(0L, new FileInfo(runtime.DatabasePath + "-wal").Length, "the stop left the WAL");
        await runtime.RestartAsync(Registry());

        var done = await runtime.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done?.RuntimeStatus);
        Assert.AreEqual(2, done!.ReadOutputAs<int>());
        Assert.HasCount(history, await runtime.Client.GetHistoryAsync(id));
    }
}
