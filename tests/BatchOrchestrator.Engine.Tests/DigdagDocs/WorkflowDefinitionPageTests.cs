using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Tests.DigdagDocs;

/// <summary>
/// The examples of Digdag's workflow-definition page (digdag-docs/src/workflow_definition.rst), as
/// workflows of our own checked against what the page says they do. Scripts the page names
/// (<c>tasks/prepare_data1.sh</c>...) are small scripts that note when they start and end.
/// </summary>
[TestClass]
public sealed class WorkflowDefinitionPageTests
{
    /// <summary>A script that appends "name start" and "name end" to events.txt, waiting for a file in between when asked.</summary>
    private static void Script(WorkflowProject project, string name, string? waitFor = null)
    {
        var wait = waitFor is null ? string.Empty : $"while [ ! -f {waitFor} ]; do sleep 0.02; done\n";
        project.Write($"tasks/{name}.sh", $"echo \"{name} start\" >> events.txt\n{wait}echo \"{name} end\" >> events.txt\n");
    }

    private static string[] Events(WorkflowProject project) => project.Read("events.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The first example: tasks run from top to bottom, each with its operator — an <c>sh&gt;</c>
    /// script, a <c>py&gt;</c> method with a param on the task, an <c>rb&gt;</c> method of a required file.
    /// </summary>
    [TestMethod]
    public async Task Tasks_run_in_order_with_sh_py_and_rb()
    {
        await using var project = await WorkflowProject.StartAsync();
        var script = project.Write("tasks/shell_sample.sh", "#!/bin/sh\necho step1 >> events.txt\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        project.Write("tasks/__init__.py", "class MyWorkflow(object):\n    def step2(self, param1):\n        with open('events.txt', 'a') as f:\n            f.write('step2 ' + param1 + '\\n')\n");
        project.Write("tasks/ruby_sample.rb", "class MyWorkflow\n  def self.step3\n    File.write('events.txt', \"step3\\n\", mode: 'a')\n  end\nend\n");
        project.Write("hello_world.dig", """
            timezone: UTC

            +step1:
              sh>: tasks/shell_sample.sh

            +step2:
              py>: tasks.MyWorkflow.step2
              param1: this is param1

            +step3:
              rb>: MyWorkflow.step3
              require: tasks/ruby_sample.rb
            """);

        var run = await project.RunAsync("hello_world");

        Assert.IsTrue(run.Succeeded, run.Describe());
        CollectionAssert.AreEqual(new[] { "step1", "step2 this is param1", "step3" }, Events(project));
    }

    /// <summary>"Using _export": foo=1 is seen by every task, bar=2 only by +analyze and its children.</summary>
    [TestMethod]
    public async Task Export_defines_variables_for_the_task_and_its_children()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks/__init__.py", """
            class MyWorkflow(object):
                def prepare(self, foo, bar=None):
                    print("prepare", foo, bar)

                def analyze_step1(self, foo, bar=None):
                    print("analyze_step1", foo, bar)

                def dump(self, foo, bar=None):
                    print("dump", foo, bar)
            """);
        project.Write("scope.dig", """
            _export:
              foo: 1
            +prepare:
              py>: tasks.MyWorkflow.prepare
            +analyze:
              _export:
                bar: 2
              +step1:
                py>: tasks.MyWorkflow.analyze_step1
            +dump:
              py>: tasks.MyWorkflow.dump
            """);

        var run = await project.RunAsync("scope");

        Assert.IsTrue(run.Succeeded, run.Describe());
        StringAssert.Contains(await project.LogAsync(run, "+scope+prepare"), "prepare 1 None");
        StringAssert.Contains(await project.LogAsync(run, "+scope+analyze+step1"), "analyze_step1 1 2");
        StringAssert.Contains(await project.LogAsync(run, "+scope+dump"), "dump 1 None");
    }

    /// <summary>"Using API": digdag.env.store makes a variable every following task sees, not only children.</summary>
    [TestMethod]
    public async Task Python_store_reaches_every_following_task()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks/__init__.py", """
            import digdag


            class MyWorkflow(object):
                def prepare(self):
                    digdag.env.store({"my_var": 2})

                def analyze(self, my_var):
                    print("my_var should be 2: %d" % my_var)
            """);
        project.Write("api.dig", "+prepare:\n  py>: tasks.MyWorkflow.prepare\n+later:\n  +analyze:\n    py>: tasks.MyWorkflow.analyze\n");

        var run = await project.RunAsync("api");

        Assert.IsTrue(run.Succeeded, run.Describe());
        StringAssert.Contains(await project.LogAsync(run, "+api+later+analyze"), "my_var should be 2: 2");
    }

    /// <summary>"Using API": digdag.env.export defines variables for the children that add_subtask adds (here a call> of child1.dig).</summary>
    [TestMethod]
    public async Task Python_export_reaches_the_subtasks_it_adds()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks/__init__.py", """
            import digdag


            class MyWorkflow(object):
                def export_and_call_child(self):
                    digdag.env.export({"my_param": 2})
                    digdag.env.add_subtask({'_type': 'call', '_command': 'child1.dig'})
            """);
        project.Write("child1.dig", "+show:\n  echo>: my_param is ${my_param}\n");
        project.Write("parent.dig", "+run:\n  py>: tasks.MyWorkflow.export_and_call_child\n");

        var run = await project.RunAsync("parent");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var show = run.Tasks.Single(t => t.TaskName.EndsWith("+show", StringComparison.Ordinal));
        Assert.AreEqual("my_param is 2\n", await project.LogAsync(run, show.TaskName));
    }

    /// <summary>"!include another file": mappings and tasks are spliced in from other files.</summary>
    [TestMethod]
    public async Task Include_splices_in_other_files()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("config/mysql.dig", "host: db.example\nport: 3306\n");
        project.Write("config/hive.dig", "queue: batch\n");
        project.Write("tasks/foo.dig", "+foo:\n  echo>: ${mysql.host}:${mysql.port} ${hive.queue}\n");
        project.Write("main.dig", """
            _export:
              mysql:
                !include : 'config/mysql.dig'
              hive:
                !include : 'config/hive.dig'
            !include : 'tasks/foo.dig'
            """);

        var run = await project.RunAsync("main");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("db.example:3306 batch\n", await project.LogAsync(run, "+main+foo"));
    }

    /// <summary>"Parallel execution": _parallel: true runs +data1..3 at once; +analyze waits for all of them.</summary>
    [TestMethod]
    public async Task Parallel_runs_the_children_at_once()
    {
        await using var project = await WorkflowProject.StartAsync();
        // Each data task waits until all three have started: they can only finish if they run at once.
        foreach (var i in new[] { 1, 2, 3 })
        {
            project.Write($"tasks/prepare_data{i}.sh", $"touch started{i}\nwhile [ ! -f started1 ] || [ ! -f started2 ] || [ ! -f started3 ]; do sleep 0.02; done\necho data{i} >> events.txt\n");
        }

        Script(project, "analyze_prepared_data_sets");
        project.Write("par.dig", """
            +prepare:
              _parallel: true
              +data1:
                sh>: sh tasks/prepare_data1.sh
              +data2:
                sh>: sh tasks/prepare_data2.sh
              +data3:
                sh>: sh tasks/prepare_data3.sh
            +analyze:
              sh>: sh tasks/analyze_prepared_data_sets.sh
            """);

        var run = await project.RunAsync("par");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var events = Events(project);
        CollectionAssert.AreEquivalent(new[] { "data1", "data2", "data3" }, events[..3]);
        CollectionAssert.AreEqual(new[] { "analyze_prepared_data_sets start", "analyze_prepared_data_sets end" }, events[3..]);
    }

    /// <summary>
    /// "Parallel execution" with a limit: at most 2 children run at once. (Digdag starts +data3 and
    /// +data4 once +data1 and +data2 both ended; we start the next child as soon as a slot frees:
    /// docs/language.md's deliberate differences.)
    /// </summary>
    [TestMethod]
    public async Task Parallel_limit_runs_at_most_n_children_at_once()
    {
        await using var project = await WorkflowProject.StartAsync();
        // +data1 and +data2 can only end once both started, +data3 and +data4 once all four did:
        // the workflow finishes only if two run at once.
        foreach (var i in new[] { 1, 2, 3, 4 })
        {
            var need = i <= 2 ? 2 : 4;
            project.Write($"tasks/prepare_data{i}.sh", $"echo start >> events.txt\ntouch started{i}\nwhile [ $(ls started* | wc -l) -lt {need} ]; do sleep 0.02; done\necho end >> events.txt\n");
        }

        project.Write("limit.dig", """
            +prepare:
              _parallel:
                limit: 2
              +data1:
                sh>: sh tasks/prepare_data1.sh
              +data2:
                sh>: sh tasks/prepare_data2.sh
              +data3:
                sh>: sh tasks/prepare_data3.sh
              +data4:
                sh>: sh tasks/prepare_data4.sh
            +analyze:
              sh>: echo analyze >> events.txt
            """);

        var run = await project.RunAsync("limit");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var running = 0;
        var most = 0;
        foreach (var e in Events(project))
        {
            running += e == "start" ? 1 : e == "end" ? -1 : 0;
            most = Math.Max(most, running);
        }

        Assert.AreEqual(2, most, string.Join(",", Events(project)));
        Assert.AreEqual("analyze", Events(project)[^1]);
    }

    /// <summary>"_background: true": +data2 runs beside +data1, and +data3 waits for both.</summary>
    [TestMethod]
    public async Task Background_runs_beside_the_previous_task_and_the_next_waits_for_both()
    {
        await using var project = await WorkflowProject.StartAsync();
        Script(project, "prepare_data1", waitFor: "data2.started");
        project.Write("tasks/prepare_data2.sh", "touch data2.started\necho \"prepare_data2 end\" >> events.txt\n");
        Script(project, "prepare_data3");
        Script(project, "analyze_prepared_data_sets");
        project.Write("bg.dig", """
            +prepare:
              +data1:
                sh>: sh tasks/prepare_data1.sh
              +data2:
                _background: true
                sh>: sh tasks/prepare_data2.sh
              +data3:
                sh>: sh tasks/prepare_data3.sh
            +analyze:
              sh>: sh tasks/analyze_prepared_data_sets.sh
            """);

        var run = await project.RunAsync("bg");

        Assert.IsTrue(run.Succeeded, run.Describe());
        // +data1 ends only once +data2 has started: the run finishing shows they ran side by side.
        var events = Events(project).ToList();
        Assert.IsGreaterThan(events.IndexOf("prepare_data1 end"), events.IndexOf("prepare_data3 start"));
        Assert.IsGreaterThan(events.IndexOf("prepare_data2 end"), events.IndexOf("prepare_data3 start"));
    }

    /// <summary>"_retry: N" on a group: when a child fails, the group runs again from +erase_table.</summary>
    [TestMethod]
    public async Task Retry_on_a_group_runs_it_again_from_its_first_child()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("retry.dig", """
            +prepare:
              _retry: 3
              +erase_table:
                sh>: echo erase >> events.txt
              +load_data:
                sh>: echo load >> events.txt
              +check_loaded_data:
                sh>: echo check >> events.txt; [ $(grep -c check events.txt) -ge 2 ]
            +analyze:
              sh>: echo analyze >> events.txt
            """);

        var run = await project.RunAsync("retry");

        Assert.IsTrue(run.Succeeded, run.Describe());
        CollectionAssert.AreEqual(new[] { "erase", "load", "check", "erase", "load", "check", "analyze" }, Events(project));
        Assert.AreEqual(2, run.Task("+retry+prepare").Tries);
    }

    /// <summary>
    /// "_retry" with <c>limit: 3, interval: 10, interval_type: exponential</c> on the group: the
    /// page's formula is interval × 2^(retry_count-1), "first retry interval is 10 secs, second is
    /// 20 secs, third is 40 secs". Here +check_loaded_data fails three times, so the group uses all
    /// three retries, each running again from +erase_table once its wait is over, and +analyze runs
    /// after the fourth try. On the fake orchestration clock: the waits are durable timers, none real.
    /// </summary>
    [TestMethod]
    public void Exponential_retry_on_a_group_waits_10_20_then_40_seconds()
    {
        var checks = 0;
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(
            ActivityNames.LaunchCommand,
            launch => launch.Command.TaskName.EndsWith("+check_loaded_data", StringComparison.Ordinal) && ++checks <= 3 ? WorkflowHarness.Failed() : WorkflowHarness.Succeeded());

        var outcome = harness.Run("retry", """
            +prepare:
              _retry:
                limit: 3
                interval: 10
                interval_type: exponential
              +erase_table:
                sh>: tasks/erase_table.sh
              +load_data:
                sh>: tasks/load_data.sh
              +check_loaded_data:
                sh>: tasks/check_loaded_data.sh
            +analyze:
              sh>: tasks/analyze_prepared_data_sets.sh
            """);

        Assert.IsTrue(outcome.Succeeded);
        CollectionAssert.AreEqual(new[] { 10.0, 20.0, 40.0 }, harness.Fake.Timers.Select(t => t.Delay.TotalSeconds).ToArray());
        CollectionAssert.AreEqual(new[] { 0.0, 10.0, 30.0, 70.0 }, SecondsLaunched(harness, "+retry+prepare+erase_table"), "each retry starts from +erase_table when its wait is over");
        CollectionAssert.AreEqual(new[] { 70.0 }, SecondsLaunched(harness, "+retry+analyze"));
        Assert.AreEqual(4, harness.Task("+retry+prepare").Tries);
        Assert.AreEqual(TaskState.Success, harness.Task("+retry+prepare").State);
    }

    /// <summary>When each launch of <paramref name="task"/>'s command happened, in seconds from the start of the run.</summary>
    private static double[] SecondsLaunched(WorkflowHarness harness, string task) =>
        [.. harness.Fake.Activities(ActivityNames.LaunchCommand).Where(c => WorkflowHarness.TaskOf(c) == task).Select(c => (c.At - WorkflowHarness.Start).TotalSeconds)];

    /// <summary>"Sending error notification": the workflow's _error operator runs when the workflow fails.</summary>
    [TestMethod]
    public async Task Error_runs_when_the_workflow_fails()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks/runs_when_workflow_failed.sh", "echo notified > notified.txt\n");
        project.Write("notify.dig", """
            _error:
              sh>: sh tasks/runs_when_workflow_failed.sh
            +analyze:
              sh>: exit 1
            """);

        var run = await project.RunAsync("notify");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual("notified\n", project.Read("notified.txt"));
        Assert.AreEqual(TaskState.Success, run.Task("+notify^error").State);
    }
    /// <summary>
    /// "Calculating variables": moment.js formats the session time in the workflow's timezone,
    /// in UTC, a day later with a locale format, and the time of execution. (The page's comments
    /// write the offset as -0700, which is moment's <c>ZZ</c>; its <c>Z</c> is -07:00, and the
    /// "tomorrow" comment shows the session's own day.)
    /// </summary>
    [TestMethod]
    public async Task Moment_formats_times_in_the_workflows_timezone()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("times.dig", """
            timezone: America/Los_Angeles
            +format_session_time:
              echo>: ${moment(session_time).format("YYYY-MM-DD HH:mm:ss Z")}
            +format_in_utc:
              echo>: ${moment(session_time).utc().format("YYYY-MM-DD HH:mm:ss")}
            +format_tomorrow:
              echo>: ${moment(session_time).add(1, 'days').format("LLL")}
            +get_execution_time:
              echo>: ${moment().format("YYYY-MM-DD HH:mm:ss Z")}
            """);

        var run = await project.RunAsync("times", sessionTime: new DateTimeOffset(2016, 9, 24, 0, 0, 0, TimeSpan.FromHours(-7)));

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("2016-09-24 00:00:00 -07:00\n", await project.LogAsync(run, "+times+format_session_time"));
        Assert.AreEqual("2016-09-24 07:00:00\n", await project.LogAsync(run, "+times+format_in_utc"));
        Assert.AreEqual("September 25, 2016 12:00 AM\n", await project.LogAsync(run, "+times+format_tomorrow"));
        StringAssert.Matches(await project.LogAsync(run, "+times+get_execution_time"), new System.Text.RegularExpressions.Regex(@"^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d -0[78]:00\n$"));
    }
}
