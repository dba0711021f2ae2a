using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class ControlOperatorTests
{
    [TestMethod]
    public async Task Loop_for_each_and_for_range_run_their_body_with_the_iteration_params()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("l.dig", """
            +loop:
              loop>: 3
              _do:
                sh>: echo "loop ${i}" >> out.txt
            +each:
              for_each>:
                fruit: [apple, banana]
                verb: '["eat"]'
              _do:
                sh>: echo "${verb} ${fruit}" >> out.txt
            +range:
              for_range>:
                from: 0
                to: 10
                slices: 2
              _do:
                sh>: echo "range ${range.index} ${range.from}-${range.to}" >> out.txt
            """);

        var run = await project.RunAsync("l");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("loop 0\nloop 1\nloop 2\neat apple\neat banana\nrange 0 0-5\nrange 1 5-10\n", project.Read("out.txt"));
        Assert.IsNotNull(run.Task("+l+loop^sub+loop-2"));
        Assert.IsNotNull(run.Task("+l+each^sub+for-1=fruit=banana&verb=eat"));
    }

    [TestMethod]
    public async Task If_runs_do_or_else_do()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("i.dig", """
            _export:
              n: 3
            +yes:
              if>: ${n > 2}
              _do:
                sh>: echo big >> out.txt
              _else_do:
                sh>: echo small >> out.txt
            +no:
              if>: ${n > 5}
              _do:
                sh>: echo huge >> out.txt
            """);

        var run = await project.RunAsync("i");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("big\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task Fail_fails_with_its_message_and_echo_writes_the_task_log()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("f.dig", """
            +say:
              echo>: hello ${session_date}
            +stop:
              fail>: count was ${1 + 1}
            """);

        var run = await project.RunAsync("f");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual("count was 2", run.Outcome.Errors.Single().Message);
        Assert.AreEqual("hello 2026-11-21\n", await project.LogAsync(run, "+f+say"));
    }

    [TestMethod]
    public async Task Call_runs_another_workflow_as_a_subtask_and_its_stored_params_flow_on()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("child.dig", """
            +produce:
              sh>: echo "from_child=yes" > $BO_OUTPUT
            """);
        project.Write("parent.dig", """
            +call_it:
              call>: child
            +after:
              sh>: echo "${from_child}" >> out.txt
            """);

        var run = await project.RunAsync("parent");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("yes\n", project.Read("out.txt"));
        Assert.IsNotNull(run.Task("+parent+call_it^sub+produce"));
    }

    [TestMethod]
    public async Task Wait_waits_on_a_durable_timer()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("w.dig", """
            +before:
              sh>: date +%s%N > before.txt
            +pause:
              wait>: 1s
            +after:
              sh>: date +%s%N > after.txt
            """);

        var run = await project.RunAsync("w");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var waited = (long.Parse(project.Read("after.txt"), System.Globalization.CultureInfo.InvariantCulture) - long.Parse(project.Read("before.txt"), System.Globalization.CultureInfo.InvariantCulture)) / 1_000_000;
        Assert.IsGreaterThanOrEqualTo(1000, waited);
    }

    [TestMethod]
    public async Task Py_subtasks_and_stored_params_reach_later_tasks()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks/gen.py", """
            import digdag

            def plan(count):
                digdag.env.store({"planned": int(count) * 10})
                for i in range(int(count)):
                    digdag.env.add_subtask({"sh>": "echo part %d >> out.txt" % i})
            """);
        project.Write("tasks/__init__.py", "");
        project.Write("py.dig", """
            +plan:
              py>: tasks.gen.plan
              count: 2
            +after:
              sh>: echo "planned ${planned}" >> out.txt
            """);

        var run = await project.RunAsync("py");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("part 0\npart 1\nplanned 20\n", project.Read("out.txt"));
    }
}
