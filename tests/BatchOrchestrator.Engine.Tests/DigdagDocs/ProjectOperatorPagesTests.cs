using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.DigdagDocs;

/// <summary>
/// The examples of Digdag's <c>call&gt;</c>, <c>require&gt;</c>, <c>param_set&gt;</c> and
/// <c>param_get&gt;</c> pages (digdag-docs/src/operators/*.md), as workflows of our own checked
/// against what the pages say they do.
/// </summary>
[TestClass]
public sealed class ProjectOperatorPagesTests
{
    /// <summary>
    /// call.md: call> runs another workflow as subtasks and waits for it; a workflow called from a
    /// subfolder runs there (its ../scripts is the project's scripts folder).
    /// </summary>
    [TestMethod]
    public async Task Call_runs_another_workflow_in_its_own_folder()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("scripts/my_script.sh", "pwd > \"$(dirname \"$0\")/../called_from.txt\"\necho ran >> ../events.txt\n");
        project.Write("another_workflow.dig", "+another:\n  echo>: another ran\n");
        project.Write("common/shared_workflow.dig", "+shared:\n  sh>: sh ../scripts/my_script.sh\n+where:\n  echo>: in ${_workdir}\n");
        project.Write("workflow1.dig", """
            +step1:
              call>: another_workflow.dig
            +step2:
              call>: common/shared_workflow.dig
            +after:
              echo>: both done
            """);

        var run = await project.RunAsync("workflow1");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("another ran\n", await project.LogAsync(run, run.Tasks.Single(t => t.TaskName.EndsWith("+another", StringComparison.Ordinal)).TaskName));
        Assert.AreEqual(Path.Combine(project.Directory_, "common"), project.Read("called_from.txt").Trim(), "the called workflow's folder is its working directory");
        Assert.AreEqual("ran\n", project.Read("events.txt"));
        Assert.AreEqual("in common\n", await project.LogAsync(run, run.Tasks.Single(t => t.TaskName.EndsWith("+where", StringComparison.Ordinal)).TaskName));
        Assert.IsLessThan(run.Task("+workflow1+after").StartedAt!.Value, run.Task("+workflow1+step2").FinishedAt!.Value.AddTicks(-1), "call> waits for the called workflow");
    }

    /// <summary>require.md: require> starts the other workflow's session at the same session time (once) and waits for it.</summary>
    [TestMethod]
    public async Task Require_runs_the_other_workflow_once_for_the_session()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks/step2.sh", "echo \"step2 ${session_date}\" >> events.txt\n");
        project.Write("another_workflow.dig", "+step2:\n  sh>: sh tasks/step2.sh\n");
        project.Write("workflow1.dig", "+step1:\n  require>: another_workflow\n+after:\n  sh>: echo after >> events.txt\n");

        var first = await project.RunAsync("workflow1");
        var again = await project.RunAsync("workflow1", retryName: "again");

        Assert.IsTrue(first.Succeeded, first.Describe());
        Assert.IsTrue(again.Succeeded, again.Describe());
        CollectionAssert.AreEqual(new[] { "step2 2026-11-21", "after", "after" }, project.Read("events.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries), "done for this session: not started again");
    }

    /// <summary>require.md's session_time option: the other workflow's session at the time given.</summary>
    [TestMethod]
    public async Task Require_with_a_session_time_runs_that_session()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("another_workflow.dig", "+step2:\n  sh>: echo ${session_time} >> events.txt\n");
        project.Write("workflow1.dig", "+step1:\n  require>: another_workflow\n  session_time: 2017-01-01T00:00:00+00:00\n");

        var run = await project.RunAsync("workflow1");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("2017-01-01T00:00:00+00:00\n", project.Read("events.txt"));
    }

    /// <summary>
    /// require.md's monthly example: a monthly workflow whose loop of <c>require&gt;</c> runs the
    /// daily workflow for every day of the month before (<c>moment(last_session_time)</c>: its
    /// <c>daysInMonth()</c> and each day as <c>format()</c>), each at that day's session time.
    /// </summary>
    [TestMethod]
    public async Task Require_in_a_moment_loop_runs_the_daily_workflow_for_every_day_of_last_month()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("daily_workflow.dig", "timezone: UTC\n+record:\n  sh>: echo ${session_time} >> days.txt\n");
        project.Write("monthly.dig", """
            timezone: UTC

            schedule:
              monthly>: 1,09:00:00

            +depend_on_all_daily_workflow_in_month:
              loop>: ${moment(last_session_time).daysInMonth()}
              _do:
                require>: daily_workflow
                session_time: ${moment(last_session_time).add(i, 'day').format()}
            """);

        var run = await project.RunAsync("monthly", sessionTime: new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.IsTrue(run.Succeeded, run.Describe());
        var february = Enumerable.Range(1, 28).Select(day => $"2026-02-{day:00}T00:00:00+00:00").ToArray();
        CollectionAssert.AreEqual(february, project.Read("days.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries), "one daily session per day of February, in order");
    }

    /// <summary>
    /// require.md's project_id and project_name on a host of one project (<c>bo run</c>): naming this
    /// project runs the workflow as without them; naming another fails the task saying it needs
    /// <c>bo server</c> (which serves several: see the server's require tests); naming both fails.
    /// </summary>
    [TestMethod]
    [DataRow("project_name: ${project_name}", null)]
    [DataRow("project_id: ${project_id}", null)]
    [DataRow("project_name: another_project", "require>: project_name 'another_project' names another project, and this host runs one project (bo run: its folder's). Run the projects on bo server")]
    [DataRow("project_id: 12345", "require>: project_id 12345 names another project, and this host runs one project (bo run: its folder's). Run the projects on bo server")]
    [DataRow("project_id: ${project_id}\n  project_name: ${project_name}", "require>: give project_id or project_name, not both")]
    public async Task Require_of_another_project_on_one_project_host_fails_saying_it_needs_a_server(string option, string? error)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("another_project_wf.dig", "+wf:\n  sh>: echo ran > ran.txt\n");
        project.Write("workflow1.dig", $"+step1:\n  require>: another_project_wf\n  {option}\n");

        var run = await project.RunAsync("workflow1");

        Assert.AreEqual(error is null, run.Succeeded, run.Describe());
        Assert.AreEqual(error is null, project.Exists("ran.txt"), "the workflow runs only when the project named is this one");
        if (error is not null)
        {
            var message = run.Task("+workflow1+step1").Error ?? string.Empty;
            Assert.StartsWith(error, message);
            Assert.AreEqual(1, run.Task("+workflow1+step1").Tries, "a wrong project is not retried");
        }
    }

    /// <summary>require.md's ignore_failure and params: the other workflow gets the params given; its failure fails the task unless ignored.</summary>
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task Require_passes_params_and_ignore_failure_lets_a_failure_by(bool ignore)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("child.dig", "+show:\n  sh>: echo ${param_name1} > child.txt; exit 1\n");
        project.Write("parent.dig", $$"""
            _export:
              parent_param_name: from-parent
            +example:
              require>: child
              params:
                param_name1: ${parent_param_name}
              ignore_failure: {{(ignore ? "true" : "false")}}
            """);

        var run = await project.RunAsync("parent");

        Assert.AreEqual("from-parent\n", project.Read("child.txt"));
        Assert.AreEqual(ignore, run.Succeeded, run.Describe());
    }

    /// <summary>param_set.md and param_get.md: values saved with param_set> are read back by param_get> into store params, seen by later tasks.</summary>
    [TestMethod]
    public async Task Param_set_saves_values_and_param_get_reads_them_into_store_params()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("save.dig", """
            +set_single_value:
              param_set>:
              key1: value1
            +set_multiple_values:
              param_set>:
              key2: value2
              key3: value3
            """);
        project.Write("load.dig", """
            +get_single_value:
              param_get>:
              key1: key_of_store_parameter1
            +get_multiple_values:
              param_get>:
              key2: key_of_store_parameter2
              key3: key_of_store_parameter3
            +show_gotten_data:
              sh>: echo '${key_of_store_parameter1} ${key_of_store_parameter2} ${key_of_store_parameter3}' > shown.txt
            """);

        var saved = await project.RunAsync("save");
        var loaded = await project.RunAsync("load");

        Assert.IsTrue(saved.Succeeded, saved.Describe());
        Assert.IsTrue(loaded.Succeeded, loaded.Describe());
        Assert.AreEqual("value1 value2 value3\n", project.Read("shown.txt"));
        Assert.AreEqual(TaskState.Success, loaded.Task("+load+get_multiple_values").State);
    }
}
