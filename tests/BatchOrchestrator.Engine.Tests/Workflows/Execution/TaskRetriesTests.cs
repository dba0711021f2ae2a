using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Workflows.Execution;
using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Tests.Workflows.Execution;

/// <summary>
/// <c>_retry</c> at the level of the orchestration context: the exact durable timers between
/// tries, on the fake clock (no real wait), and what is launched when.
/// </summary>
[TestClass]
public sealed class TaskRetriesTests
{
    private static TimeSpan Seconds(double s) => TimeSpan.FromSeconds(s);

    private static TimeSpan[] Times(params double[] s) => [.. s.Select(TimeSpan.FromSeconds)];

    /// <summary>When each command was launched, from the start of the run.</summary>
    private static TimeSpan[] LaunchTimes(WorkflowHarness harness, string? task = null) =>
        [.. harness.Fake.Activities(ActivityNames.LaunchCommand).Where(c => task is null || WorkflowHarness.TaskOf(c) == task).Select(c => c.At - WorkflowHarness.Start)];

    private static TimeSpan[] TimerDelays(WorkflowHarness harness) => [.. harness.Fake.Timers.Select(t => t.Delay)];

    [TestMethod]
    public void Exponential_retries_wait_exactly_interval_times_two_to_the_retry_number()
    {
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => WorkflowHarness.Failed());

        var outcome = harness.Run("x", """
            +flaky:
              _retry:
                limit: 3
                interval: 2
                interval_type: exponential
              sh>: exit 1
            """);

        Assert.IsFalse(outcome.Succeeded);
        CollectionAssert.AreEqual(Times(2, 4, 8), TimerDelays(harness), "2·2^0, 2·2^1, 2·2^2");
        CollectionAssert.AreEqual(Times(0, 2, 6, 14), LaunchTimes(harness), "each try starts when its timer fires, not later");
        Assert.IsTrue(harness.Fake.Timers.All(t => t.FiredAt == t.FireAt));
        Assert.AreEqual(4, harness.Task("+x+flaky").Tries);
        Assert.AreEqual(TaskState.Error, harness.Task("+x+flaky").State);
        Assert.AreEqual(WorkflowHarness.Start + Seconds(14), harness.Finished!.FinishedAt.UtcDateTime, "the attempt ends right after the last try");
    }

    [TestMethod]
    public void A_retry_that_succeeds_stops_the_waits()
    {
        var tries = 0;
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => ++tries < 3 ? WorkflowHarness.Failed() : WorkflowHarness.Succeeded());

        var outcome = harness.Run("x", """
            +flaky:
              _retry: {limit: 5, interval: 1, interval_type: exponential}
              sh>: ./flaky.sh
            """);

        Assert.IsTrue(outcome.Succeeded);
        CollectionAssert.AreEqual(Times(1, 2), TimerDelays(harness));
        Assert.AreEqual(3, harness.Task("+x+flaky").Tries);
        Assert.AreEqual(TaskState.Success, harness.Task("+x+flaky").State);
    }

    [TestMethod]
    public void Exponential_waits_stop_growing_at_max_interval()
    {
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => WorkflowHarness.Failed());

        harness.Run("x", """
            +flaky:
              _retry: {limit: 4, interval: 2, interval_type: exponential, max_interval: 5}
              sh>: exit 1
            """);

        CollectionAssert.AreEqual(Times(2, 4, 5, 5), TimerDelays(harness));
    }

    [TestMethod]
    [DataRow("{limit: 2, interval: 5}", DisplayName = "constant by default")]
    [DataRow("{limit: 2, interval: 5, interval_type: constant}", DisplayName = "constant named")]
    public void Constant_retries_wait_the_interval_every_time(string retry)
    {
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => WorkflowHarness.Failed());

        harness.Run("c", $"""
            +flaky:
              _retry: {retry}
              sh>: exit 1
            """);

        CollectionAssert.AreEqual(Times(5, 5), TimerDelays(harness));
        CollectionAssert.AreEqual(Times(0, 5, 10), LaunchTimes(harness));
    }

    [TestMethod]
    public void Without_an_interval_a_retry_starts_at_once_with_no_timer()
    {
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => WorkflowHarness.Failed());

        harness.Run("n", """
            +flaky:
              _retry: 2
              sh>: exit 1
            """);

        Assert.IsEmpty(harness.Fake.Timers);
        CollectionAssert.AreEqual(Times(0, 0, 0), LaunchTimes(harness));
    }

    [TestMethod]
    public void A_group_retry_waits_its_interval_then_runs_every_child_again()
    {
        var secondTries = 0;
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(
            ActivityNames.LaunchCommand,
            launch => launch.Command.TaskName.EndsWith("+second", StringComparison.Ordinal) && ++secondTries == 1 ? WorkflowHarness.Failed() : WorkflowHarness.Succeeded());

        var outcome = harness.Run("g", """
            +group:
              _retry: {limit: 2, interval: 3, interval_type: exponential}
              +first:
                sh>: echo first
              +second:
                sh>: ./flaky.sh
            """);

        Assert.IsTrue(outcome.Succeeded);
        CollectionAssert.AreEqual(Times(3), TimerDelays(harness), "one group retry, interval·2^0");
        CollectionAssert.AreEqual(Times(0, 3), LaunchTimes(harness, "+g+group+first"), "the whole group runs again after the wait");
        CollectionAssert.AreEqual(Times(0, 3), LaunchTimes(harness, "+g+group+second"));
        Assert.AreEqual(2, harness.Task("+g+group").Tries);
        Assert.AreEqual(TaskState.Success, harness.Task("+g+group").State);
    }

    [TestMethod]
    public void The_retry_waiting_state_is_written_before_the_wait_starts()
    {
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => WorkflowHarness.Failed());
        harness.Workflow("w", """
            +flaky:
              _retry: {limit: 1, interval: 60}
              sh>: exit 1
            """);
        harness.StartAttempt("w");

        harness.Fake.AdvanceBy(Seconds(59));

        Assert.AreEqual(TaskState.RetryWaiting, harness.Task("+w+flaky").State, "visible in the store during the wait, not only after it");
        Assert.HasCount(1, harness.Fake.Activities(ActivityNames.LaunchCommand).ToList());
        harness.Fake.AdvanceBy(Seconds(1));
        Assert.HasCount(2, harness.Fake.Activities(ActivityNames.LaunchCommand).ToList(), "the second try starts at exactly +60 s");
    }

    /// <summary>A task of a workflow compiled from text, as the orchestrator compiles it.</summary>
    private static PlannedTask Compiled(string text, string task)
    {
        var source = new WorkflowSource { Path = "w.dig", Files = [new WorkflowFile("w.dig", text)] };
        var plan = new WorkflowServices(new OperatorRegistry().AddBuiltins()).Workflows.CompileAsync(source).GetAwaiter().GetResult().Plan;
        return plan.Tasks.Single(t => t.FullName == task);
    }

    [TestMethod]
    public void Alone_the_limit_and_the_waits_come_from_the_task()
    {
        var task = Compiled("+t:\n  _retry: {limit: 3, interval: 2, interval_type: exponential}\n  sh>: x\n", "+w+t");

        Assert.AreEqual(3, TaskRetries.Limit(task, null));
        CollectionAssert.AreEqual(Times(2, 4, 8), Enumerable.Range(0, 3).Select(i => TaskRetries.WaitBefore(task, i)).ToArray());
        Assert.AreEqual(0, TaskRetries.Limit(Compiled("+t:\n  sh>: x\n", "+w+t"), null), "no _retry: no retry");
    }

    [TestMethod]
    public void Alone_the_wait_is_one_timer_after_the_pending_records_went_out()
    {
        var task = Compiled("+t:\n  _retry: {limit: 3, interval: 2, interval_type: exponential}\n  sh>: x\n", "+w+t");
        var fake = new FakeOrchestration(WorkflowHarness.Start).OnActivity<RecordTasksInput, bool>(ActivityNames.RecordTasks, _ => true);

        fake.Run(async context =>
        {
            var recorder = new TaskRecorder(context, "attempt-1", new AttemptClock(0, null));
            recorder.Set("+w+t", TaskState.RetryWaiting);
            await new TaskRetries(context, recorder).WaitBeforeRetryAsync(task, 2);
            return true;
        });

        var write = fake.Activities(ActivityNames.RecordTasks).Single();
        var timer = fake.Timers.Single();
        Assert.AreEqual(TimeSpan.FromSeconds(8), timer.Delay);
        Assert.AreEqual(WorkflowHarness.Start.AddSeconds(8), timer.FiredAt);
        Assert.IsLessThan(timer.Sequence, write.Sequence);
    }
}
