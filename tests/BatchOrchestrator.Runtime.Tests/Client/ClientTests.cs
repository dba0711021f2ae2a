using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Client;

[TestClass]
public sealed class ClientTests
{
    private static OrchestrationRegistry Registry() => new OrchestrationRegistry()
        .AddActivity<int, int>("Inc", x => x + 1)
        .AddOrchestrator<int, int>("Echo", (_, x) => Task.FromResult(x))
        .AddOrchestrator<string>("Waiter", async context =>
        {
            context.SetCustomStatus(new { phase = "waiting" });
            return await context.WaitForExternalEvent<string>("Go");
        })
        .AddOrchestrator<int, int>("Counter", async (context, n) =>
        {
            var next = await context.CallActivityAsync<int>("Inc", n);
            if (next < 5)
            {
                context.ContinueAsNew(next);
            }

            return next;
        });

    [TestMethod]
    public async Task Scheduling_an_existing_instance_id_is_rejected_and_never_creates_a_second_instance()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        await runtime.RunAsync("Echo", 1, "session-2024-01-01");

        var error = await Assert.ThrowsExactlyAsync<OrchestrationAlreadyExistsException>(
            () => runtime.Client.ScheduleNewOrchestrationInstanceAsync("Echo", 2, new StartOrchestrationOptions("session-2024-01-01")));

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, error.Status);
        Assert.AreEqual(1, (await runtime.WaitAsync("session-2024-01-01")).ReadOutputAs<int>());
    }

    [TestMethod]
    public async Task Concurrent_schedules_of_one_id_create_exactly_one_instance()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());

        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Echo", i, new StartOrchestrationOptions("once"));
                return true;
            }
            catch (OrchestrationAlreadyExistsException)
            {
                return false;
            }
        }));

        Assert.AreEqual(1, (await Task.WhenAll(attempts)).Count(won => won));
        var page = await runtime.Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "once" });
        Assert.HasCount(1, page.Instances);
    }

    [TestMethod]
    public async Task Status_shows_inputs_outputs_and_custom_status_only_when_asked()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", "the input");
        await runtime.WaitForHistoryAsync(id, HistoryEventType.OrchestratorStarted);

        var bare = await runtime.Client.GetInstanceAsync(id);
        var full = await runtime.Client.GetInstanceAsync(id, getInputsAndOutputs: true);

        Assert.AreEqual(OrchestrationRuntimeStatus.Running, bare!.RuntimeStatus);
        Assert.IsNull(bare.SerializedInput);
        Assert.AreEqual("the input", full!.ReadInputAs<string>());
        Assert.AreEqual("""{"phase":"waiting"}""", full.SerializedCustomStatus);
        Assert.IsNull(await runtime.Client.GetInstanceAsync("missing"));
    }

    [TestMethod]
    public async Task A_suspended_instance_keeps_its_events_until_resumed()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");
        await runtime.WaitForHistoryAsync(id, HistoryEventType.OrchestratorStarted);

        await runtime.Client.SuspendInstanceAsync(id, "maintenance");
        await runtime.WaitForHistoryAsync(id, HistoryEventType.ExecutionSuspended);
        await runtime.Client.RaiseEventAsync(id, "Go", "after resume");
        var suspended = await runtime.Client.GetInstanceAsync(id);
        await runtime.Client.ResumeInstanceAsync(id);

        Assert.AreEqual(OrchestrationRuntimeStatus.Suspended, suspended!.RuntimeStatus);
        Assert.AreEqual("after resume", (await runtime.WaitAsync(id)).ReadOutputAs<string>());
        var history = await runtime.Client.GetHistoryAsync(id);
        var order = history.Select(e => e.EventType).Where(t => t is HistoryEventType.ExecutionSuspended or HistoryEventType.ExecutionResumed or HistoryEventType.EventRaised).ToList();
        CollectionAssert.AreEqual(new[] { HistoryEventType.ExecutionSuspended, HistoryEventType.ExecutionResumed, HistoryEventType.EventRaised }, order);
    }

    [TestMethod]
    public async Task Terminate_ends_a_running_instance_with_the_given_output()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Waiter");

        await runtime.Client.TerminateInstanceAsync(id, new TerminateInstanceOptions("cancelled by user"));

        var done = await runtime.WaitAsync(id);
        Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.AreEqual("cancelled by user", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task ContinueAsNew_restarts_with_the_new_input_and_a_fresh_history()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());

        var done = await runtime.RunAsync("Counter", 0);

        Assert.AreEqual(5, done.ReadOutputAs<int>());
        Assert.AreEqual(4, done.ReadInputAs<int>());
        var history = await runtime.Client.GetHistoryAsync(done.InstanceId);
        Assert.AreEqual(1, history.Count(e => e.EventType == HistoryEventType.TaskScheduled), "only the last execution's history is kept");
    }

    [TestMethod]
    public async Task History_lists_the_events_of_an_instance_in_order()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());

        var done = await runtime.RunAsync("Counter", 4);

        var types = (await runtime.Client.GetHistoryAsync(done.InstanceId)).Select(e => e.EventType).ToList();
        CollectionAssert.AreEqual(
            new[]
            {
                HistoryEventType.OrchestratorStarted, HistoryEventType.ExecutionStarted, HistoryEventType.TaskScheduled,
                HistoryEventType.OrchestratorStarted, HistoryEventType.TaskCompleted, HistoryEventType.ExecutionCompleted,
            },
            types);
    }

    [TestMethod]
    public async Task Queries_filter_by_status_creation_time_and_id_prefix_and_page()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 7; i++)
        {
            await runtime.RunAsync("Echo", i, $"daily-{i:D2}");
        }

        await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("hourly-00"));

        var all = await runtime.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "daily-", PageSize = 3 }).ToListAsync();
        var firstPage = await runtime.Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "daily-", PageSize = 3 });
        var running = await runtime.Client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending] });
        var none = await runtime.Client.QueryInstancesAsync(new OrchestrationQuery { CreatedTo = start });
        var recent = await runtime.Client.QueryInstancesAsync(new OrchestrationQuery { CreatedFrom = start, PageSize = 100 });

        CollectionAssert.AreEqual(Enumerable.Range(0, 7).Select(i => $"daily-{i:D2}").ToList(), all.Select(m => m.InstanceId).ToList());
        Assert.HasCount(3, firstPage.Instances);
        Assert.AreEqual("daily-02", firstPage.ContinuationToken);
        Assert.AreEqual("hourly-00", running.Instances.Single().InstanceId);
        Assert.IsEmpty(none.Instances);
        Assert.HasCount(8, recent.Instances);
    }

    [TestMethod]
    public async Task Purge_deletes_finished_instances_one_by_one_or_by_filter_but_never_running_ones()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        for (var i = 0; i < 4; i++)
        {
            await runtime.RunAsync("Echo", i, $"old-{i}");
        }

        await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Waiter", null, new StartOrchestrationOptions("live"));

        Assert.AreEqual(1, (await runtime.Client.PurgeInstanceAsync("old-0")).PurgedInstanceCount);
        Assert.AreEqual(0, (await runtime.Client.PurgeInstanceAsync("live")).PurgedInstanceCount);
        Assert.AreEqual(3, (await runtime.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(Statuses: [OrchestrationRuntimeStatus.Completed]))).PurgedInstanceCount);

        Assert.IsNull(await runtime.Client.GetInstanceAsync("old-1"));
        Assert.IsEmpty(await runtime.Client.GetHistoryAsync("old-1"));
        Assert.IsNotNull(await runtime.Client.GetInstanceAsync("live"));
    }

    [TestMethod]
    public async Task An_input_that_cannot_be_serialized_is_rejected_before_anything_is_stored()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());

        await Assert.ThrowsExactlyAsync<DataConversionException>(
            () => runtime.Client.ScheduleNewOrchestrationInstanceAsync("Echo", new SelfReferencing(), new StartOrchestrationOptions("bad-input")));

        Assert.IsNull(await runtime.Client.GetInstanceAsync("bad-input"));
    }

    [TestMethod]
    public async Task A_delayed_start_waits_for_its_time()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        var startAt = DateTimeOffset.UtcNow.AddMilliseconds(300);

        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Echo", 3, new StartOrchestrationOptions(StartAt: startAt));

        var done = await runtime.WaitAsync(id);
        Assert.AreEqual(3, done.ReadOutputAs<int>());
        var started = (await runtime.Client.GetHistoryAsync(id)).First(e => e.EventType == HistoryEventType.OrchestratorStarted);
        Assert.IsGreaterThanOrEqualTo(startAt.UtcDateTime, started.Timestamp);
    }

    private sealed class SelfReferencing
    {
        public SelfReferencing Self => this;
    }
}
