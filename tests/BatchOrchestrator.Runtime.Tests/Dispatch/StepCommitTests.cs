using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Dispatch;

/// <summary>
/// A step of a sequence (an activity's result and the turn it makes ready) is one transaction, and
/// the result reaches the orchestrator once, whichever way it is committed.
/// </summary>
[TestClass]
public sealed class StepCommitTests
{
    private const string ResultMessages = "SELECT count(*) FROM orchestration_queue WHERE instance_id = $id AND json_extract(event, '$.EventType') = 'TaskCompleted'";

    private static OrchestrationRegistry Registry(TaskCompletionSource? gate = null) => new OrchestrationRegistry()
        .AddActivity<int, int>("Next", x => x + 1)
        .AddActivity<int, int>("Gated", async (_, x, cancellation) =>
        {
            await gate!.Task.WaitAsync(cancellation);
            return x + 1;
        })
        .AddOrchestrator<int, int>("Chain", async (context, n) =>
        {
            var x = 0;
            for (var i = 0; i < n; i++)
            {
                x = await context.CallActivityAsync<int>("Next", x);
            }

            return x;
        })
        .AddOrchestrator<int>("GatedOnce", async context => await context.CallActivityAsync<int>("Gated", 41));

    // No poll for other processes' messages during the test: it would queue the instance for a dispatcher
    // now and then, and a result that finds its instance queued is committed on its own (correct, but two
    // transactions, which this test counts).
    private static DurableRuntimeOptions Quiet(DurableRuntimeOptions options) => options with { PollInterval = TimeSpan.FromHours(1) };

    [TestMethod]
    public async Task Each_activity_of_a_sequence_costs_one_transaction_with_the_turn_it_makes_ready()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry(), Quiet);

        var shortCommits = await CommitsOfAsync(runtime, "Chain", 5);
        var longCommits = await CommitsOfAsync(runtime, "Chain", 25);

        // The start and the first turn are the same for both; each further activity adds its commit.
        Assert.AreEqual(20, longCommits - shortCommits, $"transactions: {shortCommits} for 5 activities, {longCommits} for 25");
        Assert.AreEqual(25 + 2, longCommits, "the start, the first turn, then one per activity");
    }

    [TestMethod]
    public async Task Each_result_of_a_sequence_is_in_the_history_once_and_nothing_is_left_queued()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry(), Quiet);

        var done = await runtime.RunAsync("Chain", 10, "chain");

        Assert.AreEqual(10, done.ReadOutputAs<int>());
        var history = await runtime.Client.GetHistoryAsync("chain");
        var scheduled = history.Where(e => e.EventType == HistoryEventType.TaskScheduled).Select(e => e.EventId).ToList();
        var completed = history.Where(e => e.EventType == HistoryEventType.TaskCompleted).Select(e => e.TaskScheduledId).ToList();
        Assert.HasCount(10, scheduled);
        CollectionAssert.AreEqual(scheduled, completed, "one result per activity, in order");
        Assert.AreEqual(0, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT count(*) FROM orchestration_queue WHERE instance_id = $id", "chain"), "messages left");
        Assert.AreEqual(0, await DatabaseProbe.CountAsync(runtime.DatabasePath, "SELECT count(*) FROM activity_queue WHERE instance_id = $id", "chain"), "work items left");
    }

    [TestMethod]
    public async Task A_result_that_ends_while_its_instance_is_suspended_reaches_it_once_after_resume()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var runtime = await TestRuntime.StartAsync(Registry(gate), Quiet);
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("GatedOnce", null, new StartOrchestrationOptions("gated"));
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskScheduled);
        await runtime.Client.SuspendInstanceAsync(id, "hold");
        await runtime.WaitForHistoryAsync(id, HistoryEventType.ExecutionSuspended);

        // The result cannot go into a turn now: it is committed alone and waits, queued, for the resume.
        gate.SetResult();
        await Eventually.TrueAsync(async () => (await runtime.Client.GetInstanceAsync(id))!.RuntimeStatus == OrchestrationRuntimeStatus.Suspended
            && await DatabaseProbe.CountAsync(runtime.DatabasePath, ResultMessages, id) == 1, "the result queued for the suspended instance");
        Assert.IsFalse((await runtime.Client.GetHistoryAsync(id)).Any(e => e.EventType == HistoryEventType.TaskCompleted), "no result in the history while suspended");

        await runtime.Client.ResumeInstanceAsync(id, "go");
        var done = await runtime.WaitAsync(id);

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.AreEqual(42, done.ReadOutputAs<int>());
        Assert.AreEqual(1, (await runtime.Client.GetHistoryAsync(id)).Count(e => e.EventType == HistoryEventType.TaskCompleted));
    }

    private static async Task<long> CommitsOfAsync(TestRuntime runtime, string orchestrator, int input)
    {
        var before = runtime.Runtime!.Statistics.Commits;
        var done = await runtime.RunAsync(orchestrator, input);
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus, done.FailureDetails?.ToString());
        Assert.AreEqual(input, done.ReadOutputAs<int>());
        return runtime.Runtime.Statistics.Commits - before;
    }
}
