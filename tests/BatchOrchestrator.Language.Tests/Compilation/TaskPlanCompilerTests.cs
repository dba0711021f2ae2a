using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Model;

namespace BatchOrchestrator.Language.Tests.Compilation;

[TestClass]
public sealed class TaskPlanCompilerTests
{
    private static string[] Upstreams(TaskPlan plan, string fullName) =>
        plan.Find(fullName)!.UpstreamIndexes.Select(i => plan[i].FullName).ToArray();

    [TestMethod]
    public async Task Tasks_get_digdag_full_names_in_file_order()
    {
        var plan = await TestWorkflows.CompileAsync("""
            +extract:
              +google:
                sh>: echo g
              +meta:
                sh>: echo m
            +load:
              sh>: echo load
            """, "daily.dig");
        CollectionAssert.AreEqual(
            new[] { "+daily", "+daily+extract", "+daily+extract+google", "+daily+extract+meta", "+daily+load" },
            plan.Tasks.Select(t => t.FullName).ToArray());
        Assert.AreEqual(PlannedTaskKind.Group, plan.Find("+daily+extract")!.Kind);
        Assert.AreEqual("sh", plan.Find("+daily+load")!.Operator!.Name);
    }

    [TestMethod]
    public async Task Sequential_children_wait_for_the_previous_sibling()
    {
        var plan = await TestWorkflows.CompileAsync("""
            +a:
              echo>: a
            +b:
              echo>: b
            +c:
              echo>: c
            """);
        Assert.IsEmpty(Upstreams(plan, "+wf+a"));
        CollectionAssert.AreEqual(new[] { "+wf+a" }, Upstreams(plan, "+wf+b"));
        CollectionAssert.AreEqual(new[] { "+wf+b" }, Upstreams(plan, "+wf+c"));
    }

    [TestMethod]
    public async Task Background_runs_beside_the_previous_task_and_the_next_waits_for_both()
    {
        var plan = await TestWorkflows.CompileAsync("""
            +first:
              echo>: 1
            +forward:
              echo>: forward
            +bg:
              _background: true
              echo>: bg
            +following:
              echo>: following
            """);
        CollectionAssert.AreEqual(new[] { "+wf+first" }, Upstreams(plan, "+wf+forward"));
        CollectionAssert.AreEqual(new[] { "+wf+first" }, Upstreams(plan, "+wf+bg"), "background starts alongside +forward");
        CollectionAssert.AreEquivalent(new[] { "+wf+forward", "+wf+bg" }, Upstreams(plan, "+wf+following"));
    }

    [TestMethod]
    public async Task Parallel_children_wait_only_for_their_after()
    {
        var plan = await TestWorkflows.CompileAsync("""
            +g:
              _parallel:
                limit: 2
              +a:
                echo>: a
              +b:
                echo>: b
              +c:
                _after: [+a, +b]
                echo>: c
            """);
        Assert.AreEqual(2, plan.Find("+wf+g")!.Parallel.Limit);
        Assert.IsEmpty(Upstreams(plan, "+wf+g+a"));
        Assert.IsEmpty(Upstreams(plan, "+wf+g+b"));
        CollectionAssert.AreEquivalent(new[] { "+wf+g+a", "+wf+g+b" }, Upstreams(plan, "+wf+g+c"));
    }

    [TestMethod]
    public async Task Templated_parallel_keeps_sequential_edges_and_the_after_edges_for_run_time()
    {
        var plan = await TestWorkflows.CompileAsync("""
            _export:
              p: true
            +g:
              _parallel: ${p}
              +a:
                echo>: a
              +b:
                echo>: b
              +c:
                _after: +a
                echo>: c
            """);
        Assert.AreEqual("${p}", plan.Find("+wf+g")!.Parallel.Template);
        CollectionAssert.AreEqual(new[] { "+wf+g+b" }, Upstreams(plan, "+wf+g+c"));
        CollectionAssert.AreEqual(new[] { "+wf+g+a" }, plan.Find("+wf+g+c")!.AfterIndexes.Select(i => plan[i].FullName).ToArray());
    }

    [TestMethod]
    public async Task Error_and_check_tasks_are_generated_under_their_task()
    {
        var plan = await TestWorkflows.CompileAsync("""
            +load:
              sh>: echo load
              _check:
                echo>: check ok
              _error:
                +notify:
                  echo>: failed ${error.message}
                +cleanup:
                  sh>: rm -f tmp
            _error:
              echo>: workflow failed
            """);
        var load = plan.Find("+wf+load")!;
        Assert.AreEqual("+wf+load^error", plan[load.ErrorTaskIndex!.Value].FullName);
        Assert.AreEqual("+wf+load^check", plan[load.CheckTaskIndex!.Value].FullName);
        Assert.AreEqual(PlannedTaskRole.Error, plan.Find("+wf+load^error")!.Role);
        CollectionAssert.AreEqual(new[] { "+wf+load^error+notify" }, Upstreams(plan, "+wf+load^error+cleanup"));
        Assert.AreEqual("+wf^error", plan[plan.Root.ErrorTaskIndex!.Value].FullName);
        CollectionAssert.AreEqual(new[] { "+wf+load" }, plan.NormalChildren(plan.Root).Select(t => t.FullName).ToArray());
    }

    [TestMethod]
    public async Task Retry_settings_are_compiled_with_exponential_backoff_capped()
    {
        var plan = await TestWorkflows.CompileAsync("""
            +flaky:
              _retry:
                limit: 5
                interval: 10
                interval_type: exponential
                max_interval: 60
              http>: https://example.com
            """);
        var retry = plan.Find("+wf+flaky")!.Retry!;
        Assert.AreEqual(5, retry.Limit);
        Assert.AreEqual(RetryIntervalType.Exponential, retry.IntervalType);
        CollectionAssert.AreEqual(
            new[] { 10.0, 20.0, 40.0, 60.0, 60.0 },
            Enumerable.Range(0, 5).Select(n => retry.WaitBefore(n).TotalSeconds).ToArray());
    }

    [TestMethod]
    public async Task Sla_tasks_are_planned_under_the_root_as_sla()
    {
        var plan = await TestWorkflows.CompileAsync("""
            sla:
              time: 02:02
              +notice:
                echo>: late
            +sleep:
              sh>: sleep 1
            """);
        var sla = plan.Find("+wf^sla")!;
        Assert.AreEqual(PlannedTaskRole.Sla, sla.Role);
        Assert.IsNotNull(plan.Find("+wf^sla+notice"));
        CollectionAssert.AreEqual(new[] { "+wf+sleep" }, plan.NormalChildren(plan.Root).Select(t => t.FullName).ToArray());
    }

    [TestMethod]
    public async Task Disabled_tasks_are_marked()
    {
        var plan = await TestWorkflows.CompileAsync("""
            +a:
              _disable: true
              sh>: exit 1
            """);
        Assert.IsTrue(plan.Find("+wf+a")!.Disabled);
    }
}
