using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.DigdagDocs;

/// <summary>
/// The examples of Digdag's documentation pages for <c>echo&gt;</c>, <c>fail&gt;</c>, <c>if&gt;</c>,
/// <c>loop&gt;</c>, <c>for_each&gt;</c> and <c>for_range&gt;</c> (digdag-docs/src/operators/*.md),
/// each as a workflow of our own doing what the example does, checked against what the page says
/// it does. docs/language.md keeps the list and the count.
/// </summary>
[TestClass]
public sealed class ControlOperatorPagesTests
{
    /// <summary>echo.md: <c>echo&gt;: Hello world!</c> shows the message.</summary>
    [TestMethod]
    public async Task Echo_shows_the_message()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("greet.dig", "+say_hello:\n  echo>: Hello world!\n");

        var run = await project.RunAsync("greet");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("Hello world!\n", await project.LogAsync(run, "+greet+say_hello"));
    }

    /// <summary>fail.md: fail> under if> fails the workflow when the check does not pass, and _error sees its message as ${error.message}.</summary>
    [TestMethod]
    public async Task Fail_under_if_fails_the_workflow_and_error_tasks_read_its_message()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("validate.dig", """
            _export:
              count: 3
            +fail_if_too_few:
              if>: ${count < 10}
              _do:
                fail>: count is less than 10!
            +never:
              echo>: not reached
            _error:
              +tell:
                echo>: "failed: ${error.message}"
            """);

        var run = await project.RunAsync("validate");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual(TaskState.Error, run.Task("+validate+fail_if_too_few^sub").State);
        Assert.AreEqual("failed: count is less than 10!\n", await project.LogAsync(run, "+validate^error+tell"));
        Assert.AreEqual(TaskState.Canceled, run.Task("+validate+never").State);
    }

    /// <summary>if.md: _do runs when the condition is true; with _else_do, _else_do runs when it is false.</summary>
    [TestMethod]
    [DataRow(true, "true == true\n", "true == true\n")]
    [DataRow(false, null, "false == false\n")]
    public async Task If_runs_do_when_true_and_else_do_when_false(bool param, string? onlyDo, string withElse)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("cond.dig", """
            +run_if_param_is_true:
              if>: ${param}
              _do:
                echo>: ${param} == true
            +run_if_param_is_false:
              if>: ${param}
              _do:
                echo>: ${param} == true
              _else_do:
                echo>: ${param} == false
            """);

        var run = await project.RunAsync("cond", new { param });

        Assert.IsTrue(run.Succeeded, run.Describe());
        var doTask = run.Tasks.FirstOrDefault(t => t.TaskName == "+cond+run_if_param_is_true^sub");
        Assert.AreEqual(onlyDo, doTask is null ? null : await project.LogAsync(run, doTask.TaskName));
        Assert.AreEqual(withElse, await project.LogAsync(run, "+cond+run_if_param_is_false^sub"));
    }

    /// <summary>loop.md's options: <c>loop&gt;: 7</c> runs the tasks with i = 0..6, one after another unless _parallel.</summary>
    [TestMethod]
    [DataRow("")]
    [DataRow("  _parallel: true\n")]
    [DataRow("  _parallel:\n    limit: 2\n")]
    public async Task Loop_runs_its_tasks_with_i_from_0(string parallel)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("repeat.dig", "+repeat:\n  loop>: 7\n" + parallel + "  _do:\n    sh>: echo ${i} >> i.txt\n");

        var run = await project.RunAsync("repeat");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var values = project.Read("i.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (parallel.Length == 0)
        {
            CollectionAssert.AreEqual(new[] { "0", "1", "2", "3", "4", "5", "6" }, values);
        }
        else
        {
            CollectionAssert.AreEquivalent(new[] { "0", "1", "2", "3", "4", "5", "6" }, values);
        }

        Assert.AreEqual(7, run.Tasks.Count(t => t.TaskName.StartsWith("+repeat+repeat^sub+loop-", StringComparison.Ordinal)));
    }

    /// <summary>
    /// loop.md's main example: each repetition's tasks see <c>i</c>, and moment.js moves the
    /// session time by i days and i hours (a moment renders as JSON, its ISO time in UTC).
    /// </summary>
    [TestMethod]
    public async Task Loop_tasks_compute_dates_from_i_with_moment()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("repeat.dig", """
            +repeat:
              loop>: 7
              _do:
                +step1:
                  echo>: ${moment(session_time).add(i, 'days')} is ${i} days later than ${session_date}
                +step2:
                  echo>: ${moment(session_time).add(i, 'hours')} is ${i} hours later than ${session_local_time}.
            """);

        var run = await project.RunAsync("repeat", sessionTime: new DateTimeOffset(2016, 9, 24, 0, 0, 0, TimeSpan.Zero));

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("\"2016-09-24T00:00:00.000Z\" is 0 days later than 2016-09-24\n", await project.LogAsync(run, "+repeat+repeat^sub+loop-0+step1"));
        Assert.AreEqual("\"2016-09-30T00:00:00.000Z\" is 6 days later than 2016-09-24\n", await project.LogAsync(run, "+repeat+repeat^sub+loop-6+step1"));
        Assert.AreEqual("\"2016-09-24T03:00:00.000Z\" is 3 hours later than 2016-09-24 00:00:00.\n", await project.LogAsync(run, "+repeat+repeat^sub+loop-3+step2"));
    }

    /// <summary>for_each.md: every combination of fruit and verb runs once, four tasks.</summary>
    [TestMethod]
    public async Task For_each_runs_every_combination()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("each.dig", """
            +repeat:
              for_each>:
                fruit: [apple, orange]
                verb: [eat, throw]
              _do:
                sh>: echo "${verb} ${fruit}" >> out.txt
            """);

        var run = await project.RunAsync("each");

        Assert.IsTrue(run.Succeeded, run.Describe());
        CollectionAssert.AreEqual(new[] { "eat apple", "throw apple", "eat orange", "throw orange" }, project.Read("out.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.AreEqual(4, run.Tasks.Count(t => t.TaskName.StartsWith("+each+repeat^sub+for-", StringComparison.Ordinal)));
    }

    /// <summary>for_each.md's options: the values as a list or as a JSON string; _parallel true or with a limit.</summary>
    [TestMethod]
    [DataRow("{i: [1, 2, 3]}", "")]
    [DataRow("{i: '[1, 2, 3]'}", "")]
    [DataRow("{i: [1, 2, 3]}", "  _parallel: true\n")]
    [DataRow("{i: [1, 2, 3]}", "  _parallel:\n    limit: 2\n")]
    public async Task For_each_takes_a_list_or_a_json_string_and_runs_in_parallel_when_asked(string values, string parallel)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("each.dig", $"+repeat:\n  for_each>: {values}\n{parallel}  _do:\n    sh>: echo ${{i}} >> i.txt\n");

        var run = await project.RunAsync("each");

        Assert.IsTrue(run.Succeeded, run.Describe());
        CollectionAssert.AreEquivalent(new[] { "1", "2", "3" }, project.Read("i.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>for_range.md: from 10 to 50 by 10 makes four tasks named by their range, with range.from/to/index.</summary>
    [TestMethod]
    public async Task For_range_by_step_makes_one_task_per_range()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("ranges.dig", """
            +repeat:
              for_range>:
                from: 10
                to: 50
                step: 10
              _do:
                echo>: processing from ${range.from} to ${range.to}.
            """);

        var run = await project.RunAsync("ranges");

        Assert.IsTrue(run.Succeeded, run.Describe());
        foreach (var (from, to) in new[] { (10, 20), (20, 30), (30, 40), (40, 50) })
        {
            Assert.AreEqual($"processing from {from} to {to}.\n", await project.LogAsync(run, $"+ranges+repeat^sub+range-from={from}&to={to}"));
        }
    }

    /// <summary>for_range.md's options: step 3 over 0..10 gives four ranges, slices 3 gives three; with _parallel too.</summary>
    [TestMethod]
    [DataRow("step: 3", "", "0 0-3,1 3-6,2 6-9,3 9-10")]
    [DataRow("slices: 3", "", "0 0-4,1 4-8,2 8-10")]
    [DataRow("slices: 3", "  _parallel: true\n", "0 0-4,1 4-8,2 8-10")]
    [DataRow("step: 3", "  _parallel:\n    limit: 2\n", "0 0-3,1 3-6,2 6-9,3 9-10")]
    public async Task For_range_divides_by_step_or_into_slices(string division, string parallel, string expected)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("ranges.dig", $"+repeat:\n  for_range>:\n    from: 0\n    to: 10\n    {division}\n{parallel}  _do:\n    sh>: echo \"${{range.index}} ${{range.from}}-${{range.to}}\" >> out.txt\n");

        var run = await project.RunAsync("ranges");

        Assert.IsTrue(run.Succeeded, run.Describe());
        CollectionAssert.AreEquivalent(expected.Split(','), project.Read("out.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
