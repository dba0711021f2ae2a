using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Tests.Workflows.Execution;

/// <summary>
/// A command's launch and polls (invariant 1 of ARCHITECTURE.md: launch, durable timer, poll …,
/// finish), at the level of the orchestration context, with a scripted executor.
/// </summary>
[TestClass]
public sealed class CommandRunTests
{
    private static readonly DateTime Start = WorkflowHarness.Start;

    private const string OneCommand = """
        +job:
          sh>: ./job.sh
        """;

    /// <summary>The activities of the command, with when each ran.</summary>
    private static string[] Steps(WorkflowHarness harness) =>
        [.. harness.Fake.Activities()
            .Where(c => c.Name is ActivityNames.LaunchCommand or ActivityNames.PollCommand or ActivityNames.FinishCommand)
            .Select(c => $"{c.Name}@{(c.At - Start).TotalSeconds}")];

    [TestMethod]
    public void Each_poll_comes_exactly_poll_after_the_previous_answer_and_the_finish_follows_the_last()
    {
        var polls = new Queue<CommandStatus>([
            WorkflowHarness.Status(CommandPhase.Running, TimeSpan.FromSeconds(10)),
            WorkflowHarness.Status(CommandPhase.Succeeded) with { ExitCode = 0 },
        ]);
        var harness = new WorkflowHarness()
            .On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => WorkflowHarness.Status(CommandPhase.Pending, TimeSpan.FromSeconds(5)))
            .On<CommandStateInput, CommandStatus>(ActivityNames.PollCommand, _ => polls.Dequeue());

        var outcome = harness.Run("p", OneCommand);

        Assert.IsTrue(outcome.Succeeded);
        CollectionAssert.AreEqual(new[] { "LaunchCommand@0", "PollCommand@5", "PollCommand@15", "FinishCommand@15" }, Steps(harness));
        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10) }, harness.Fake.Timers.Select(t => t.Delay).ToArray());
        Assert.AreEqual(TaskState.Success, harness.Task("+p+job").State);
    }

    [TestMethod]
    public void A_status_collected_by_the_poll_needs_no_finish_and_a_zero_poll_after_needs_no_timer()
    {
        var harness = new WorkflowHarness()
            .On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => WorkflowHarness.Status(CommandPhase.Running))
            .On<CommandStateInput, CommandStatus>(ActivityNames.PollCommand, _ => WorkflowHarness.Succeeded());

        harness.Run("z", OneCommand);

        CollectionAssert.AreEqual(new[] { "LaunchCommand@0", "PollCommand@0" }, Steps(harness));
        Assert.IsEmpty(harness.Fake.Timers);
    }

    [TestMethod]
    public void A_lost_command_is_launched_again_without_using_a_retry_and_counts_as_a_try()
    {
        var launches = 0;
        var harness = new WorkflowHarness()
            .On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => ++launches <= 2 ? WorkflowHarness.Status(CommandPhase.Lost) : WorkflowHarness.Succeeded());

        var outcome = harness.Run("l", OneCommand);

        Assert.IsTrue(outcome.Succeeded);
        Assert.AreEqual(3, launches);
        Assert.AreEqual(3, harness.Task("+l+job").Tries, "each run again shows as a try in the records");
        Assert.IsTrue(harness.Fake.Activities(ActivityNames.LaunchCommand).All(c => c.InputAs<LaunchCommandInput>().Command.Try == 0), "the executor's try is the same: a relaunch uses no retry");
    }

    [TestMethod]
    public void A_command_lost_more_than_five_times_fails_the_try()
    {
        var harness = new WorkflowHarness()
            .On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => WorkflowHarness.Status(CommandPhase.Lost) with { FailureMessage = "the host stopped" });

        var outcome = harness.Run("g", """
            +job:
              _retry: 1
              sh>: ./job.sh
            """);

        Assert.IsFalse(outcome.Succeeded);
        Assert.AreEqual("the host stopped", outcome.Errors.Single().Message);
        Assert.AreEqual(12, harness.Fake.Activities(ActivityNames.LaunchCommand).Count(), "1 launch + 5 relaunches, for each of the 2 tries");
        Assert.AreEqual(12, harness.Task("+g+job").Tries, "every run shows as a try");
    }

    [TestMethod]
    public void A_polling_operator_runs_again_exactly_after_each_poll_again()
    {
        var runs = 0;
        var harness = new WorkflowHarness()
            .On<RunOperatorInput, TaskResult>(ActivityNames.RunOperator, input => ++runs switch
            {
                1 => new TaskResult { PollAgain = new OperatorPoll(TimeSpan.FromSeconds(30), System.Text.Json.JsonSerializer.SerializeToElement(1)) },
                2 => new TaskResult { PollAgain = new OperatorPoll(TimeSpan.FromSeconds(60), System.Text.Json.JsonSerializer.SerializeToElement(2)) },
                _ => TaskResult.Empty,
            });

        var outcome = harness.Run("b", """
            +wait_for_it:
              http>: https://example.com/ready
            """);

        Assert.IsTrue(outcome.Succeeded);
        var calls = harness.Fake.Activities(ActivityNames.RunOperator).ToList();
        CollectionAssert.AreEqual(new[] { 0.0, 30, 90 }, calls.Select(c => (c.At - Start).TotalSeconds).ToArray());
        CollectionAssert.AreEqual(new[] { null, "1", "2" }, calls.Select(c => c.InputAs<RunOperatorInput>().Request.PollState?.GetRawText()).ToArray(), "each run gets the state the last one returned");
    }
}
