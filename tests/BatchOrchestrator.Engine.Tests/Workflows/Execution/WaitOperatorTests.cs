using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;

namespace BatchOrchestrator.Engine.Tests.Workflows.Execution;

/// <summary><c>wait&gt;</c>: one durable timer of exactly the duration, on the fake clock.</summary>
[TestClass]
public sealed class WaitOperatorTests
{
    [TestMethod]
    public void Each_wait_is_one_timer_of_its_duration_and_the_next_task_starts_when_it_fires()
    {
        var harness = new WorkflowHarness();

        var outcome = harness.Run("w", """
            +short:
              wait>: 90s
            +long:
              wait>: 5m
            +after:
              echo>: done
            """);

        Assert.IsTrue(outcome.Succeeded);
        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(5) }, harness.Fake.Timers.Select(t => t.Delay).ToArray());
        Assert.AreEqual(WorkflowHarness.Start.AddSeconds(90), harness.Fake.Timers.Last().At, "the second wait starts when the first ends");
        Assert.AreEqual(WorkflowHarness.Start.AddSeconds(390), harness.Task("+w+after").FinishedAt!.Value.UtcDateTime);
    }

    [TestMethod]
    public void A_rendered_duration_that_does_not_parse_fails_without_a_retry_or_a_timer()
    {
        var harness = new WorkflowHarness();

        var outcome = harness.Run("b", """
            _export:
              pause: soon
            +bad:
              _retry: 3
              wait>: ${pause}
            """);

        Assert.IsFalse(outcome.Succeeded);
        StringAssert.Contains(outcome.Errors.Single().Message, "expected a duration");
        Assert.AreEqual(1, harness.Task("+b+bad").Tries);
        Assert.AreEqual(TaskState.Error, harness.Task("+b+bad").State);
        Assert.IsEmpty(harness.Fake.Timers);
    }
}
