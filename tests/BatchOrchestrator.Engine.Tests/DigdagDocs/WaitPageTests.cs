using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;

namespace BatchOrchestrator.Engine.Tests.DigdagDocs;

/// <summary>
/// The examples of Digdag's <c>wait&gt;</c> page (digdag-docs/src/operators/wait.md), on the fake
/// orchestration context: the wait is a durable timer, so no test waits for real.
/// </summary>
[TestClass]
public sealed class WaitPageTests
{
    /// <summary>wait.md: <c>wait&gt;: 10s</c> waits 10 seconds, blocking or not, polling or not, then the workflow goes on.</summary>
    [TestMethod]
    [DataRow("")]
    [DataRow("  blocking: true\n")]
    [DataRow("  poll_interval: 5s\n")]
    public void Wait_holds_the_workflow_for_the_duration(string option)
    {
        var harness = new WorkflowHarness();

        var outcome = harness.Run("w", "+wait_10s:\n  wait>: 10s\n" + option + "+after:\n  echo>: done\n");

        Assert.IsTrue(outcome.Succeeded);
        Assert.AreEqual(TaskState.Success, harness.Task("+w+after").State);
        Assert.AreEqual(WorkflowHarness.Start.AddSeconds(10), harness.Task("+w+wait_10s").FinishedAt!.Value.UtcDateTime);
        Assert.IsGreaterThanOrEqualTo(WorkflowHarness.Start.AddSeconds(10), harness.Task("+w+after").StartedAt!.Value.UtcDateTime);
    }
}
