using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class ParallelTests
{
    /// <summary>Most tasks that were between their "start" and "end" lines at the same time.</summary>
    private static int MaxConcurrent(string log)
    {
        int running = 0, max = 0;
        foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            running += line.StartsWith("start", StringComparison.Ordinal) ? 1 : -1;
            max = Math.Max(max, running);
        }

        return max;
    }

    [TestMethod]
    public async Task Parallel_limit_is_a_sliding_window_never_exceeded()
    {
        await using var project = await WorkflowProject.StartAsync();
        var children = string.Concat(Enumerable.Range(0, 6).Select(i =>
            $"  +t{i}:\n    sh>: echo start >> log.txt; sleep 0.3; echo end >> log.txt\n"));
        project.Write("par.dig", "+g:\n  _parallel:\n    limit: 2\n" + children);

        var run = await project.RunAsync("par");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var max = MaxConcurrent(project.Read("log.txt"));
        Assert.AreEqual(2, max, project.Read("log.txt"));
    }

    [TestMethod]
    public async Task A_slot_freed_by_a_short_task_is_used_while_a_long_one_still_runs()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("slide.dig", """
            +g:
              _parallel:
                limit: 2
              +long:
                sh>: echo start long >> log.txt; for i in $(seq 200); do test -f third_started && break; sleep 0.05; done; echo end long >> log.txt
              +short:
                sh>: echo start short >> log.txt; echo end short >> log.txt
              +third:
                sh>: echo start third >> log.txt; touch third_started; echo end third >> log.txt
            """);

        var run = await project.RunAsync("slide");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var lines = project.Read("log.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.IsLessThan(lines.IndexOf("end long"), lines.IndexOf("start third"), "the third child starts while +long runs (Digdag's chunks would wait for +long)");
    }

    [TestMethod]
    public async Task After_orders_parallel_children()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("after.dig", """
            +g:
              _parallel: true
              +slow:
                sh>: sleep 0.3; echo slow >> out.txt
              +fast:
                sh>: echo fast >> out.txt
              +last:
                _after: [+slow, +fast]
                sh>: echo last >> out.txt
            """);

        var run = await project.RunAsync("after");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("fast\nslow\nlast\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task A_background_task_runs_beside_the_previous_one_and_the_next_waits_for_it()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("bg.dig", """
            +forward:
              sh>: for i in $(seq 100); do test -f bg_done && break; sleep 0.05; done; test -f bg_done && echo saw_background >> out.txt
            +background:
              _background: true
              sh>: touch bg_done
            +following:
              sh>: test -f bg_done && echo following >> out.txt
            """);

        var run = await project.RunAsync("bg");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("saw_background\nfollowing\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task A_failure_in_a_parallel_group_lets_running_siblings_finish_and_starts_nothing_new()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("pf.dig", """
            +g:
              _parallel:
                limit: 2
              +bad:
                sh>: exit 1
              +running:
                sh>: sleep 0.3; echo finished >> out.txt
              +queued:
                sh>: echo queued >> out.txt
            """);

        var run = await project.RunAsync("pf");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual("finished\n", project.Read("out.txt"));
        Assert.AreEqual(Stores.TaskState.Canceled, run.Task("+pf+g+queued").State);
    }
}
