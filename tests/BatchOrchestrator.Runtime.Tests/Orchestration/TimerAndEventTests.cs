using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Orchestration;

[TestClass]
public sealed class TimerAndEventTests
{
    private static OrchestrationRegistry Registry() => new OrchestrationRegistry()
        .AddOrchestrator<DateTime>("Sleeper", async context =>
        {
            var fireAt = context.CurrentUtcDateTime.AddMilliseconds(300);
            await context.CreateTimer(fireAt, CancellationToken.None);
            return context.CurrentUtcDateTime;
        })
        .AddOrchestrator<string>("Approval", async context =>
        {
            using var cancel = new CancellationTokenSource();
            var approval = context.WaitForExternalEvent<string>("Approve", cancel.Token);
            var deadline = context.CreateTimer(context.CurrentUtcDateTime.AddMilliseconds(context.GetInput<int>()), cancel.Token);
            var winner = await Task.WhenAny(approval, deadline);
            cancel.Cancel(); // synchronous: CancelAsync would run the callbacks off the orchestrator thread
            return winner == approval ? $"approved by {await approval}" : "timed out";
        })
        .AddOrchestrator<string>("WithTimeout", async context =>
        {
            try
            {
                return await context.WaitForExternalEvent<string>("Never", TimeSpan.FromMilliseconds(100));
            }
            catch (TimeoutException e)
            {
                return e.Message;
            }
        })
        .AddOrchestrator<string>("Collector", async context =>
        {
            // Waits for three events; any that arrived earlier are buffered in order.
            var a = await context.WaitForExternalEvent<string>("item");
            var b = await context.WaitForExternalEvent<string>("ITEM");
            var c = await context.WaitForExternalEvent<string>("item");
            return a + b + c;
        });

    [TestMethod]
    public async Task A_durable_timer_completes_no_earlier_than_its_due_time()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Sleeper");

        var done = await runtime.WaitAsync(id);

        var history = await runtime.Client.GetHistoryAsync(id);
        var fireAt = history.Single(e => e.EventType == HistoryEventType.TimerCreated).FireAt!.Value;
        Assert.IsGreaterThanOrEqualTo(fireAt, done.ReadOutputAs<DateTime>(), "the orchestrator resumed at or after the due time");
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }

    [TestMethod]
    public async Task WhenAny_of_a_timer_and_an_event_takes_the_event_when_it_arrives_first()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Approval", 60_000);
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TimerCreated);

        await runtime.Client.RaiseEventAsync(id, "Approve", "alice");

        Assert.AreEqual("approved by alice", (await runtime.WaitAsync(id)).ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task WhenAny_of_a_timer_and_an_event_takes_the_timer_when_no_event_comes()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());

        var done = await runtime.RunAsync("Approval", 100);

        Assert.AreEqual("timed out", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task Waiting_for_an_event_with_a_timeout_throws_TimeoutException()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());

        var done = await runtime.RunAsync("WithTimeout");

        Assert.AreEqual("Event 'Never' was not received within 00:00:00.1000000.", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task Events_raised_before_the_orchestrator_waits_are_buffered_in_order_and_names_ignore_case()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Collector");

        await runtime.Client.RaiseEventAsync(id, "item", "a");
        await runtime.Client.RaiseEventAsync(id, "Item", "b");
        await runtime.Client.RaiseEventAsync(id, "ITEM", "c");

        Assert.AreEqual("abc", (await runtime.WaitAsync(id)).ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task Raising_an_event_on_an_unknown_instance_is_an_error()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());

        await Assert.ThrowsExactlyAsync<OrchestrationNotFoundException>(() => runtime.Client.RaiseEventAsync("nobody", "x"));
    }
}
