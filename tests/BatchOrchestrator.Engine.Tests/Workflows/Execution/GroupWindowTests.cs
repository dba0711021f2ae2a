using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Tests.Workflows.Execution;

/// <summary>
/// <c>_parallel</c> windows at the level of the orchestration context: the fake keeps every
/// launch outstanding until it answers it (first launched first), so the most launches in flight
/// at once is the window the group really keeps.
/// </summary>
[TestClass]
public sealed class GroupWindowTests
{
    private static string Group(string parallel, int children) =>
        $"+group:\n  _parallel: {parallel}\n" + string.Concat(Enumerable.Range(1, children).Select(i => $"  +c{i}:\n    sh>: echo {i}\n"));

    [TestMethod]
    [DataRow("{limit: 2}", 5, 2)]
    [DataRow("{limit: 1}", 3, 1)]
    [DataRow("true", 5, 5)]
    [DataRow("false", 4, 1)]
    public void Never_more_children_run_at_once_than_the_window(string parallel, int children, int window)
    {
        var harness = new WorkflowHarness();

        var outcome = harness.Run("p", Group(parallel, children));

        Assert.IsTrue(outcome.Succeeded);
        Assert.AreEqual(children, harness.Fake.Activities(ActivityNames.LaunchCommand).Count());
        Assert.AreEqual(window, harness.Fake.MaxOutstanding(ActivityNames.LaunchCommand));
    }

    [TestMethod]
    public void The_window_is_shared_by_the_chunks_of_a_large_group()
    {
        // Nine children, three per orchestration: the window of four is split between the chunks, never exceeded.
        var harness = new WorkflowHarness(new WorkflowEngineOptions { MaxChildrenPerOrchestration = 3 });

        var outcome = harness.Run("c", Group("{limit: 4}", 9));

        Assert.IsTrue(outcome.Succeeded);
        Assert.IsNotEmpty(harness.Fake.SubOrchestrations.ToList(), "the group was split into chunks");
        Assert.AreEqual(9, harness.Fake.Activities(ActivityNames.LaunchCommand).Count());
        Assert.IsLessThanOrEqualTo(4, harness.Fake.MaxOutstanding(ActivityNames.LaunchCommand));
        Assert.IsGreaterThan(1, harness.Fake.MaxOutstanding(ActivityNames.LaunchCommand), "the chunks do run side by side");
        Assert.IsTrue(Enumerable.Range(1, 9).All(i => harness.Task($"+c+group+c{i}").State == TaskState.Success));
    }

    [TestMethod]
    public void After_a_failure_nothing_new_starts_and_what_did_not_start_is_canceled()
    {
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(
            ActivityNames.LaunchCommand, launch => launch.Command.TaskName.EndsWith("+c1", StringComparison.Ordinal) ? WorkflowHarness.Failed() : WorkflowHarness.Succeeded());

        var outcome = harness.Run("f", Group("{limit: 2}", 4));

        Assert.IsFalse(outcome.Succeeded);
        CollectionAssert.AreEqual(new[] { "+f+group+c1", "+f+group+c2" }, harness.Fake.Activities(ActivityNames.LaunchCommand).Select(WorkflowHarness.TaskOf).ToArray());
        Assert.AreEqual(TaskState.Success, harness.Task("+f+group+c2").State, "what runs finishes");
        Assert.AreEqual(TaskState.Canceled, harness.Task("+f+group+c3").State);
        Assert.AreEqual(TaskState.Canceled, harness.Task("+f+group+c4").State);
    }
}
