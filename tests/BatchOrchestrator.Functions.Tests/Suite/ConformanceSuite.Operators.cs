using System.Globalization;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Functions.Adapters;
using BatchOrchestrator.Functions.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>The control operators: call>, require>, loop>, for_each>, for_range>, if>, fail>, wait>, and sla:.</summary>
public abstract partial class ConformanceSuite
{
    [TestMethod]
    public async Task Call_runs_another_workflow_in_its_folder_and_its_stored_params_flow_on()
    {
        await using var scenario = await ScenarioAsync("call");

        var run = await scenario.RunAsync("parent");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        Assert.AreEqual("after yes\n", scenario.Read("out.txt"));
        Assert.AreEqual("produced for parent\n", scenario.Read("sub/produced.txt"), "the called workflow runs in its own folder");
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+parent Success 1",
                "+parent+call_child Success 1",
                "+parent+call_child^sub Success 1",
                "+parent+call_child^sub+produce Success 1",
                "+parent+after Success 1",
            },
            run.States.ToArray(),
            run.Describe());
        Assert.AreEqual("""{"from_child":"yes"}""", run.StoreParams("+parent+call_child^sub+produce"));
    }

    [TestMethod]
    public async Task Require_starts_the_other_workflows_session_from_an_activity_and_waits_for_it()
    {
        await using var scenario = await ScenarioAsync("require");
        if (scenario.Runtime is DurableTaskRuntime durable)
        {
            // A fresh app: no HTTP or timer function has bound the app's Durable client, so the
            // require> activity must bind its own (it failed with "No Durable client has been bound yet" before).
            Assert.ThrowsExactly<InvalidOperationException>(() => durable.App.GetRequiredService<DurableClientSource>().Current);
        }

        var run = await scenario.RunAsync("downstream");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        Assert.AreEqual("upstream 2026-11-21\ndownstream\n", scenario.Read("out.txt"));
        CollectionAssert.AreEquivalent(new[] { "+downstream Success 1", "+downstream+need Success 1", "+downstream+use Success 1" }, run.States.ToArray(), run.Describe());
        var upstreamId = new SessionKey("require", "upstream", Scenario.SessionTime).AttemptInstanceId(null);
        var upstream = await scenario.ReadAsync(upstreamId);
        Assert.AreEqual(AttemptStatus.Success, upstream.Attempt.Status, upstream.Describe());
        CollectionAssert.AreEquivalent(new[] { "+upstream Success 1", "+upstream+make Success 1" }, upstream.States.ToArray(), upstream.Describe());

        // The upstream session exists now: requiring it again waits for nothing and starts nothing.
        var again = await scenario.RunAsync("again");
        Assert.AreEqual(AttemptStatus.Success, again.Attempt.Status, again.Describe());
        Assert.AreEqual("upstream 2026-11-21\ndownstream\n", scenario.Read("out.txt"));
        Assert.HasCount(1, await scenario.Runs.GetAttemptsAsync(upstream.Attempt.SessionId, scenario.Cancellation));
    }

    [TestMethod]
    public async Task A_failed_required_session_fails_the_task_unless_ignored_and_reruns_when_asked()
    {
        await using var scenario = await ScenarioAsync("require");

        var strict = await scenario.RunAsync("strict");
        Assert.AreEqual(AttemptStatus.Error, strict.Attempt.Status, strict.Describe());
        var failingId = new SessionKey("require", "failing", Scenario.SessionTime).AttemptInstanceId(null);
        Assert.AreEqual($"+strict+need: require>: the required session of failing at 2026-11-21T00:00:00+00:00 ended as error (attempt {failingId})", strict.Errors.Single());

        var lenient = await scenario.RunAsync("lenient");
        Assert.AreEqual(AttemptStatus.Success, lenient.Attempt.Status, lenient.Describe());
        Assert.AreEqual("try\n", scenario.Read("failing.txt"), "ignore_failure does not run the failed session again");

        File.WriteAllText(scenario.PathOf("fixed"), string.Empty);
        var rerun = await scenario.RunAsync("rerun");
        Assert.AreEqual(AttemptStatus.Success, rerun.Attempt.Status, rerun.Describe());
        Assert.AreEqual("try\ntry\n", scenario.Read("failing.txt"));
        var attempts = await scenario.Runs.GetAttemptsAsync(new SessionKey("require", "failing", Scenario.SessionTime).SessionId, scenario.Cancellation);
        CollectionAssert.AreEqual(new[] { "- Error", "rerun-2 Success" }, attempts.Select(a => $"{a.RetryAttemptName ?? "-"} {a.Status}").ToArray());
    }

    [TestMethod]
    public async Task Loop_for_each_and_for_range_run_their_bodies_with_the_iteration_params()
    {
        await using var scenario = await ScenarioAsync("control");

        var run = await scenario.RunAsync("loops");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEqual(
            new[] { "loop 0", "loop 1", "loop 2", "eat apple", "eat banana", "range 0 0-5", "range 1 5-10" },
            scenario.Lines("out.txt"));
        CollectionAssert.AreEquivalent(new[] { "slice 0", "slice 2", "slice 4" }, scenario.Lines("parallel.txt"));
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+loops Success 1",
                "+loops+loop Success 1",
                "+loops+loop^sub Success 1",
                "+loops+loop^sub+loop-0 Success 1",
                "+loops+loop^sub+loop-1 Success 1",
                "+loops+loop^sub+loop-2 Success 1",
                "+loops+each Success 1",
                "+loops+each^sub Success 1",
                "+loops+each^sub+for-0=fruit=0=apple&1=verb=0=eat Success 1",
                "+loops+each^sub+for-0=fruit=1=banana&1=verb=0=eat Success 1",
                "+loops+range Success 1",
                "+loops+range^sub Success 1",
                "+loops+range^sub+range-from=0&to=5 Success 1",
                "+loops+range^sub+range-from=5&to=10 Success 1",
                "+loops+parallel_range Success 1",
                "+loops+parallel_range^sub Success 1",
                "+loops+parallel_range^sub+range-from=0&to=2 Success 1",
                "+loops+parallel_range^sub+range-from=2&to=4 Success 1",
                "+loops+parallel_range^sub+range-from=4&to=6 Success 1",
            },
            run.States.ToArray(),
            run.Describe());
    }

    [TestMethod]
    public async Task If_runs_do_or_else_do()
    {
        await using var scenario = await ScenarioAsync("control");

        var run = await scenario.RunAsync("if");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEqual(new[] { "big", "not huge" }, scenario.Lines("out.txt"));
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+if Success 1",
                "+if+yes Success 1",
                "+if+yes^sub Success 1",
                "+if+no Success 1",
                "+if+no^sub Success 1",
                "+if+none Success 1",
            },
            run.States.ToArray(),
            run.Describe());
    }

    [TestMethod]
    public async Task Fail_fails_with_its_message_after_echo_wrote_its_log()
    {
        await using var scenario = await ScenarioAsync("control");

        var run = await scenario.RunAsync("fail");

        Assert.AreEqual(AttemptStatus.Error, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEqual(new[] { "+fail+stop: count was 2" }, run.Errors.ToArray());
        CollectionAssert.AreEquivalent(new[] { "+fail GroupError 1", "+fail+say Success 1", "+fail+stop Error 1", "+fail+never Canceled 0" }, run.States.ToArray(), run.Describe());
        Assert.AreEqual("count was 2", run.Task("+fail+stop").Error);
        Assert.AreEqual("hello 2026-11-21\n", await scenario.LogAsync(run, "+fail+say"));
        Assert.IsFalse(scenario.Exists("never.txt"));
    }

    [TestMethod]
    public async Task Wait_waits_on_a_durable_timer()
    {
        await using var scenario = await ScenarioAsync("control");

        var run = await scenario.RunAsync("wait");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEquivalent(new[] { "+wait Success 1", "+wait+before Success 1", "+wait+pause Success 1", "+wait+after Success 1" }, run.States.ToArray(), run.Describe());
        var waited = long.Parse(scenario.Read("after.txt"), CultureInfo.InvariantCulture) - long.Parse(scenario.Read("before.txt"), CultureInfo.InvariantCulture);
        Assert.IsGreaterThanOrEqualTo(1000, waited);
    }

    [TestMethod]
    public async Task A_missed_sla_runs_its_tasks_and_the_attempt_goes_on()
    {
        await using var scenario = await ScenarioAsync("sla");

        var run = await scenario.RunAsync("late");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEquivalent(
            new[] { "+late Success 1", "+late^sla Success 1", "+late^sla+mark Success 1", "+late+late Success 1" },
            run.States.ToArray(),
            run.Describe());
    }

    [TestMethod]
    public async Task A_missed_sla_with_fail_fails_the_attempt_once_its_tasks_are_done()
    {
        await using var scenario = await ScenarioAsync("sla");

        var run = await scenario.RunAsync("strict");

        Assert.AreEqual(AttemptStatus.Error, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEqual(new[] { "+strict^sla^fail: SLA violation" }, run.Errors.ToArray());
        Assert.AreEqual(TaskState.Success, run.Task("+strict+late").State, "the late task still ran to its end");
        Assert.AreEqual(TaskState.Success, run.Task("+strict^sla+mark").State);
    }

    [TestMethod]
    public async Task An_attempt_done_in_time_runs_no_sla_task()
    {
        await using var scenario = await ScenarioAsync("sla");

        var run = await scenario.RunAsync("quick");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEquivalent(new[] { "+quick Success 1", "+quick+step Success 1" }, run.States.ToArray(), run.Describe());
        Assert.IsFalse(scenario.Exists("quick.fired"));
    }

    [TestMethod]
    public async Task Params_stored_in_parallel_branches_meet_at_the_join_and_exports_stay_below()
    {
        await using var scenario = await ScenarioAsync("params");

        var run = await scenario.RunAsync("join");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEqual(new[] { "from_b a b in eu from_c eu []", "got eu-from_b" }, scenario.Lines("out.txt"));
        Assert.AreEqual("""{"only_a":"a","x":"from_a"}""", run.StoreParams("+join+fork+a"));
        Assert.AreEqual("""{"only_b":"b in eu","x":"from_b"}""", run.StoreParams("+join+fork+b"));
        Assert.AreEqual("""{"inner":"from_c"}""", run.StoreParams("+join+fork+c+store_inner"));
        Assert.AreEqual("c sees from_c in eu\n", await scenario.LogAsync(run, "+join+fork+c+inner"));
        Assert.AreEqual("""{"exported_d":"d"}""", run.Task("+join+fork+d").ExportParams?.GetRawText());
        Assert.AreEqual("d child sees d\n", scenario.Read("d.txt"));
        Assert.AreEqual("""{"got_region":"eu-from_b"}""", run.StoreParams("+join+read"));
        Assert.IsTrue(run.Tasks.All(t => t.State == TaskState.Success && t.Tries == 1), run.Describe());
    }
}
