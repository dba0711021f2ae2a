using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Tests.Workflows.Execution;

/// <summary><c>require&gt;</c>: the required attempt's status is read every <see cref="WorkflowEngineOptions.RequirePollInterval"/>, on durable timers.</summary>
[TestClass]
public sealed class RequireWaitTests
{
    private static WorkflowHarness Harness(params AttemptStatus[] statuses)
    {
        var answers = new Queue<AttemptStatus>(statuses);
        return new WorkflowHarness(new WorkflowEngineOptions { RequirePollInterval = TimeSpan.FromSeconds(7) })
            .On<RequireSessionInput, string>(ActivityNames.RequireSession, _ => "attempt-2")
            .On<AttemptStatusInput, AttemptStatus>(ActivityNames.GetAttemptStatus, _ => answers.Dequeue())
            .Workflow("other", "+x:\n  echo>: x\n");
    }

    [TestMethod]
    public void The_status_is_read_every_poll_interval_until_the_attempt_ends()
    {
        var harness = Harness(AttemptStatus.Running, AttemptStatus.Running, AttemptStatus.Success);

        var outcome = harness.Run("r", """
            +first:
              require>: other
            """);

        Assert.IsTrue(outcome.Succeeded);
        var reads = harness.Fake.Activities(ActivityNames.GetAttemptStatus).ToList();
        CollectionAssert.AreEqual(new[] { 0.0, 7, 14 }, reads.Select(c => (c.At - WorkflowHarness.Start).TotalSeconds).ToArray());
        Assert.IsTrue(reads.All(c => c.InputAs<AttemptStatusInput>().AttemptId == "attempt-2"));
        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7) }, harness.Fake.Timers.Select(t => t.Delay).ToArray());
        var request = harness.Fake.Activities(ActivityNames.RequireSession).Single().InputAs<RequireSessionInput>().Request;
        Assert.AreEqual("other", request.WorkflowName);
        Assert.AreEqual(new DateTimeOffset(WorkflowHarness.Start), request.SessionTime, "this session's time unless session_time says otherwise");
    }

    [TestMethod]
    [DataRow(false, DisplayName = "fails the task")]
    [DataRow(true, DisplayName = "ignore_failure: true")]
    public void A_required_attempt_that_failed(bool ignoreFailure)
    {
        var harness = Harness(AttemptStatus.Running, AttemptStatus.Error);

        var outcome = harness.Run("f", $"""
            +first:
              require>: other
              ignore_failure: {(ignoreFailure ? "true" : "false")}
            """);

        Assert.AreEqual(ignoreFailure, outcome.Succeeded);
        Assert.HasCount(2, harness.Fake.Activities(ActivityNames.GetAttemptStatus).ToList());
        if (!ignoreFailure)
        {
            StringAssert.Contains(outcome.Errors.Single().Message, "ended as error (attempt attempt-2)");
        }
    }
}
