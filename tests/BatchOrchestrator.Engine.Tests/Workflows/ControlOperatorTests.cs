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
        Assert.IsNotNull(run.Task("+l+each^sub+for-0=fruit=1=banana&1=verb=0=eat"));
        Assert.IsNotNull(run.Task("+l+range^sub+range-from=5&to=10"));
    }

    /// <summary>
    /// for_each> with mappings in every position: maps as values (written, from a param, nested in
    /// lists) run; a whole-command template of a param holding the map runs (Digdag parses it); a
    /// map where a list belongs fails with the value as JSON, never an internal type.
    /// </summary>
    [TestMethod]
    public async Task For_each_takes_mappings_as_values_and_a_map_param_as_its_command()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("maps.dig", """
            _export:
              alist: [{x: 1}, {x: 2}]
              spec: {fruit: [{name: apple}, {name: banana}]}
            +written:
              for_each>:
                fruit: [{name: apple}, {name: banana}]
              _do:
                echo>: written ${fruit.name}
            +param_list:
              for_each>:
                item: ${alist}
              _do:
                echo>: param ${item.x}
            +nested:
              for_each>:
                pair: [[{a: 1}], [{b: 2}]]
              _do:
                echo>: nested ${pair[0].a || pair[0].b}
            +whole_command:
              for_each>: ${spec}
              _do:
                echo>: whole ${fruit.name}
            """);
        project.Write("bad.dig", "_export:\n  amap: {a: 1}\n+bad:\n  for_each>:\n    fruit: ${amap}\n  _do:\n    echo>: x\n");

        var run = await project.RunAsync("maps");
        var bad = await project.RunAsync("bad");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var echoes = await Task.WhenAll(run.Tasks.Where(t => t.TaskName.Contains("^sub+", StringComparison.Ordinal)).Select(t => project.LogAsync(run, t.TaskName)));
        CollectionAssert.AreEquivalent(
            new[] { "written apple\n", "written banana\n", "param 1\n", "param 2\n", "nested 1\n", "nested 2\n", "whole apple\n", "whole banana\n" },
            echoes);
        Assert.IsFalse(bad.Succeeded);
        Assert.Contains("for_each>: fruit: expected a JSON array, got {\"a\":1}", bad.Describe());
        Assert.DoesNotContain("Node", bad.Describe());
    }

    [TestMethod]
    public async Task Generated_tasks_are_named_as_Digdag_names_them()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("names.dig", """
            +each:
              for_each>:
                region: [us west, "tokyo-2", "ap/northeast"]
                spec: '[{"n": 1}]'
              _do:
                echo>: ${region}
            +range:
              for_range>:
                from: 1
                to: 10
                slices: 3
              _do:
                echo>: ${range.index}
            +loop:
              loop>: 2
              _do:
                echo>: ${i}
            """);

        var run = await project.RunAsync("names");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var generated = run.Tasks.Select(t => t.TaskName).Where(n => n.Contains("^sub+", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEquivalent(
            new[]
            {
                // Each key and value: its position, then its first 8 characters URL-encoded.
                "+names+each^sub+for-0=region=0=us%20west&1=spec=0=%7B%22n%22%3A1%7D",
                "+names+each^sub+for-0=region=1=tokyo-2&1=spec=0=%7B%22n%22%3A1%7D",
                "+names+each^sub+for-0=region=2=ap%2Fnorth&1=spec=0=%7B%22n%22%3A1%7D",
                // Three slices of 1..10 are 3 wide, rounded up; the last is cut at `to`.
                "+names+range^sub+range-from=1&to=4",
                "+names+range^sub+range-from=4&to=7",
                "+names+range^sub+range-from=7&to=10",
                "+names+loop^sub+loop-0",
                "+names+loop^sub+loop-1",
            },
            generated,
            run.Describe());
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
