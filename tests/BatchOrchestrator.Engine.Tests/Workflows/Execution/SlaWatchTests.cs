using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Tests.Workflows.Execution;

/// <summary>
/// <c>sla:</c> at the level of the orchestration context: the deadline is one durable timer, set
/// when the attempt starts, firing at exactly the deadline; what a miss runs, and when.
/// </summary>
[TestClass]
public sealed class SlaWatchTests
{
    private static readonly DateTime Start = WorkflowHarness.Start;

    /// <summary>The notification sends (RunOperator of notify>) of a task, e.g. <c>^sla^alert</c>.</summary>
    private static List<ActivityCall> Sends(WorkflowHarness harness, string taskSuffix) =>
        [.. harness.Fake.Activities(ActivityNames.RunOperator).Where(c => c.InputAs<RunOperatorInput>().Request.TaskName.EndsWith(taskSuffix, StringComparison.Ordinal))];

    [TestMethod]
    public void A_duration_fires_at_start_plus_the_duration_runs_the_sla_tasks_and_alerts_and_the_attempt_goes_on()
    {
        var harness = new WorkflowHarness().Workflow("s", """
            sla:
              duration: 00:00:30
              +late:
                echo>: late
            +work:
              wait>: 1m
            """);
        var run = harness.StartAttempt("s");

        harness.Fake.AdvanceTo(Start.AddSeconds(29));
        Assert.IsEmpty(Sends(harness, "^sla^alert"), "not missed yet at +29 s");

        harness.Fake.AdvanceTo(Start.AddSeconds(30));
        var deadline = harness.Fake.Timers.Single(t => t.Delay != TimeSpan.FromMinutes(1));
        Assert.AreEqual(Start, deadline.At, "set when the attempt starts");
        Assert.AreEqual(Start.AddSeconds(30), deadline.FireAt);
        Assert.AreEqual(Start.AddSeconds(30), deadline.FiredAt);
        var alert = Sends(harness, "^sla^alert").Single();
        Assert.AreEqual(Start.AddSeconds(30), alert.At, "the alert goes out the moment the deadline passes");
        StringAssert.Contains(alert.InputAs<RunOperatorInput>().Request.Config.GetRawText(), "SLA violation: not finished by 2026-11-21 01:00:30 UTC");
        Assert.IsFalse(run.IsCompleted, "the attempt goes on");

        var outcome = harness.Fake.RunToCompletion(run);

        Assert.IsTrue(outcome.Succeeded, "a miss without fail: true does not fail the attempt");
        Assert.AreEqual(TaskState.Success, harness.Task("+s^sla+late").State);
        Assert.AreEqual(Start.AddSeconds(30), harness.Task("+s^sla+late").FinishedAt!.Value.UtcDateTime, "the sla's tasks ran at the deadline");
        Assert.AreEqual(Start.AddMinutes(1), harness.Finished!.FinishedAt.UtcDateTime);
    }

    [TestMethod]
    public void Fail_true_fails_the_attempt_once_its_tasks_end_and_alert_false_sends_nothing()
    {
        var harness = new WorkflowHarness();

        var outcome = harness.Run("f", """
            sla:
              duration: 00:00:10
              fail: true
              alert: false
            +work:
              wait>: 20s
            """);

        Assert.IsFalse(outcome.Succeeded);
        Assert.AreEqual("+f^sla^fail", outcome.Errors.Single().TaskName);
        Assert.AreEqual("SLA violation", outcome.Errors.Single().Message);
        Assert.AreEqual(TaskState.Success, harness.Task("+f+work").State, "the tasks run to their end");
        Assert.AreEqual(Start.AddSeconds(10), harness.Task("+f^sla^fail").FinishedAt!.Value.UtcDateTime);
        Assert.IsEmpty(Sends(harness, "^sla^alert"));
        Assert.AreEqual(Start.AddSeconds(20), harness.Finished!.FinishedAt.UtcDateTime);
    }

    [TestMethod]
    public void An_attempt_that_ends_in_time_cancels_the_deadline()
    {
        var harness = new WorkflowHarness();

        var outcome = harness.Run("m", """
            sla:
              duration: 00:01:00
              fail: true
            +work:
              wait>: 59s
            """);

        Assert.IsTrue(outcome.Succeeded);
        var deadline = harness.Fake.Timers.Single(t => t.FireAt == Start.AddMinutes(1));
        Assert.AreEqual(TimerState.Canceled, deadline.State);
        Assert.IsEmpty(Sends(harness, "^sla^alert"));
        Assert.IsFalse(harness.Records.ContainsKey("+m^sla^fail"));
    }

    [TestMethod]
    [DataRow("UTC", "02:30", "2026-11-21T02:30:00Z", DisplayName = "later today")]
    [DataRow("UTC", "00:30", "2026-11-22T00:30:00Z", DisplayName = "passed today: tomorrow")]
    [DataRow("Asia/Tokyo", "10:30", "2026-11-21T01:30:00Z", DisplayName = "in the workflow's zone (10:00 there at the start)")]
    public void A_time_of_day_fires_at_the_next_such_time_in_the_workflows_zone(string zone, string time, string expected)
    {
        var harness = new WorkflowHarness();

        var outcome = harness.Run("t", $"""
            timezone: {zone}
            sla:
              time: {time}
              fail: true
            +work:
              wait>: 48h
            """);

        var deadline = DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.AreEqual(deadline, harness.Fake.Timers.Single(t => t.Delay != TimeSpan.FromHours(48)).FireAt);
        Assert.AreEqual(deadline, harness.Task("+t^sla^fail").FinishedAt!.Value.UtcDateTime);
        Assert.AreEqual(deadline, Sends(harness, "^sla^alert").Single().At);
        Assert.IsFalse(outcome.Succeeded);
    }
}
