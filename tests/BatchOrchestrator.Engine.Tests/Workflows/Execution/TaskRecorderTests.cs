using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Tests.Workflows.Execution;

/// <summary>
/// Task records cost no activity of their own: they ride on the next activity call, one batch,
/// and go out alone only before a wait that is not an activity call (and at the end).
/// </summary>
[TestClass]
public sealed class TaskRecorderTests
{
    [TestMethod]
    public void Records_ride_on_the_next_activity_call_newest_update_only()
    {
        var harness = new WorkflowHarness();

        var outcome = harness.Run("w", """
            +a:
              echo>: a
            +b:
              echo>: b
            +c:
              echo>: c
            +d:
              sh>: ./d.sh
            """);

        Assert.IsTrue(outcome.Succeeded);
        var names = harness.Fake.Activities().Select(c => c.Name).ToArray();
        CollectionAssert.AreEqual(new[] { ActivityNames.LoadWorkflow, ActivityNames.LaunchCommand, ActivityNames.RecordTasks, ActivityNames.FinishAttempt }, names, "three echo> tasks and their records cost no activity");
        var carried = harness.Fake.Activities(ActivityNames.LaunchCommand).Single().InputAs<LaunchCommandInput>().Writes!;
        var records = carried.Records.Select(r => r.Record).ToList();
        CollectionAssert.AreEqual(new[] { "+w", "+w+a", "+w+b", "+w+c", "+w+d" }, records.Select(r => r.TaskName).ToArray(), "one update per task, in the order the tasks started");
        Assert.IsTrue(records.Where(r => r.TaskName is "+w+a" or "+w+b" or "+w+c").All(r => r.State == TaskState.Success), "the newest update of each");
        Assert.AreEqual(TaskState.Running, records.Single(r => r.TaskName == "+w+d").State);
        CollectionAssert.AreEqual(new[] { "a\n", "b\n", "c\n" }, carried.Logs.Select(l => l.Text).ToArray(), "echo> lines ride along too");
        Assert.AreEqual(TaskState.Success, harness.Task("+w").State, "the last batch is written before the attempt finishes");
    }

    [TestMethod]
    public void Before_a_timer_the_pending_records_go_out_alone()
    {
        var harness = new WorkflowHarness();

        harness.Run("t", """
            +a:
              echo>: a
            +pause:
              wait>: 10s
            """);

        var write = harness.Fake.Activities(ActivityNames.RecordTasks).First();
        var timer = harness.Fake.Timers.Single();
        Assert.IsLessThan(timer.Sequence, write.Sequence, "written before the wait starts, not after it");
        var records = write.InputAs<RecordTasksInput>().Writes!.Records.Select(r => r.Record).ToList();
        Assert.AreEqual(TaskState.Success, records.Single(r => r.TaskName == "+t+a").State);
        Assert.AreEqual(TaskState.Running, records.Single(r => r.TaskName == "+t+pause").State);
    }
}
