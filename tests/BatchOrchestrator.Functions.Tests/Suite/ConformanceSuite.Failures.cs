using System.Globalization;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>_retry on tasks and groups, _error, _check.</summary>
public abstract partial class ConformanceSuite
{
    [TestMethod]
    public async Task A_task_retries_at_once_or_after_its_interval_and_gives_up_after_its_limit()
    {
        await using var scenario = await ScenarioAsync("retry");

        var run = await scenario.RunAsync("task_retry");

        Assert.AreEqual(AttemptStatus.Error, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+task_retry GroupError 1",
                "+task_retry+immediate Success 3",
                "+task_retry+timed Success 2",
                "+task_retry+exhausted Error 2",
            },
            run.States.ToArray(),
            run.Describe());
        Assert.AreEqual("3", scenario.Read("immediate.count").Trim());
        Assert.AreEqual("2", scenario.Read("exhausted.count").Trim());
        var timed = scenario.Lines("timed.times").Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        Assert.HasCount(2, timed);
        Assert.IsGreaterThanOrEqualTo(1000, timed[1] - timed[0], "the retry waits its interval of 1 s");
        CollectionAssert.AreEqual(new[] { "+task_retry+exhausted: Command failed with exit code 1. Last lines of output:\nexhausted failed on call 2" }, run.Errors.ToArray());
        Assert.AreEqual("Command failed with exit code 1. Last lines of output:\nexhausted failed on call 2", run.Task("+task_retry+exhausted").Error);
    }

    [TestMethod]
    public async Task A_group_retry_runs_the_whole_group_again()
    {
        await using var scenario = await ScenarioAsync("retry");

        var run = await scenario.RunAsync("group_retry");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEqual(new[] { "first", "first", "after" }, scenario.Lines("out.txt"));
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+group_retry Success 1",
                "+group_retry+group Success 2",

                // The group's children run again as first tries of the group's second try.
                "+group_retry+group+first Success 1",
                "+group_retry+group+second Success 1",
                "+group_retry+after Success 1",
            },
            run.States.ToArray(),
            run.Describe());
        var second = scenario.Lines("second.times").Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        Assert.IsGreaterThanOrEqualTo(1000, second[1] - second[0], "the group waits its interval of 1 s");
    }

    [TestMethod]
    public async Task Error_tasks_run_with_the_error_after_the_last_try()
    {
        await using var scenario = await ScenarioAsync("error_check");

        var run = await scenario.RunAsync("error");

        Assert.AreEqual(AttemptStatus.Error, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+error GroupError 1",
                "+error+load Error 2",
                "+error+load^error Success 1",
                "+error^error Success 1",
                "+error^error+notify Success 1",
                "+error+never Canceled 0",
            },
            run.States.ToArray(),
            run.Describe());
        const string Message = "Command failed with exit code 3. Last lines of output:\ndb is down";
        // ${error.message} is the failure's own message, as in Digdag; the task is ${error.task_name}.
        Assert.AreEqual($"task error: {Message}\n", scenario.Read("task_error.txt"));
        Assert.AreEqual($"workflow failed: {Message}\n", scenario.Read("notified.txt"));
        Assert.IsFalse(scenario.Exists("never.txt"));
        CollectionAssert.AreEqual(new[] { $"+error+load: {Message}" }, run.Errors.ToArray());
    }

    [TestMethod]
    public async Task Check_tasks_run_after_success_with_the_stored_params_and_a_failing_check_fails_the_task()
    {
        await using var scenario = await ScenarioAsync("error_check");

        var run = await scenario.RunAsync("check");

        Assert.AreEqual(AttemptStatus.Error, run.Attempt.Status, run.Describe());
        Assert.AreEqual("checked 3\n", scenario.Read("out.txt"));
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+check GroupError 1",
                "+check+good Success 1",
                "+check+good^check Success 1",
                "+check+bad Error 1",
                "+check+bad^check Error 1",
                "+check+never Canceled 0",
            },
            run.States.ToArray(),
            run.Describe());
        Assert.IsFalse(scenario.Exists("never.txt"));
        CollectionAssert.AreEqual(new[] { "+check+bad^check: Command failed with exit code 1. Last lines of output:\nno rows loaded" }, run.Errors.ToArray());
        Assert.AreEqual("""{"rows":"3"}""", run.StoreParams("+check+good"));
    }
}
