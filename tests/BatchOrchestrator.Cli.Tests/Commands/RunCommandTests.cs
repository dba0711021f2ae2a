using BatchOrchestrator.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Cli.Tests.Commands;

[TestClass]
public sealed class RunCommandTests
{
    [TestMethod]
    public async Task A_successful_run_exits_0_with_progress_lines_and_a_summary()
    {
        using var project = new CliProject();
        project.Write("hello.dig", "+first:\n  sh>: echo first >> runs.txt\n+second:\n  sh>: echo second >> runs.txt\n");
        var result = await project.RunAsync("hello.dig", "--session", "2026-11-21");
        Assert.AreEqual(0, result.Exit, result.ToString());
        Assert.Contains($"running hello, session 2026-11-21 00:00:00 +00:00, attempt bo:{project.Name}:hello:2026-11-21T00:00:00Z:0", result.Output);
        Assert.Contains("  +hello+first  success ", result.Output);
        Assert.Contains("  +hello+second  success ", result.Output);
        Assert.Contains($"success: attempt bo:{project.Name}:hello:2026-11-21T00:00:00Z:0 finished after ", result.Output);
        Assert.Contains("(2 succeeded)", result.Output);
        CollectionAssert.AreEqual(new[] { "first", "second" }, project.Lines("runs.txt"));
    }

    [TestMethod]
    public async Task A_failing_task_exits_1_and_the_summary_names_its_error_and_log()
    {
        using var project = new CliProject();
        project.Write("fails.dig", "+ok:\n  sh>: echo fine\n+broken:\n  sh>: echo 'disk on fire' && exit 3\n+never:\n  sh>: echo never >> never.txt\n");
        var result = await project.RunAsync("fails.dig");
        Assert.AreEqual(1, result.Exit, result.ToString());
        Assert.Contains("  +fails+broken  error: Command failed with exit code 3", result.Output);
        Assert.Contains($"error: attempt bo:{project.Name}:fails:", result.Output);
        Assert.Contains("(1 succeeded, 1 failed", result.Output);
        // The errors go to standard error, where a script piping the output still shows them.
        Assert.Contains("failed tasks:", result.Error);
        Assert.DoesNotContain("failed tasks:", result.Output);
        Assert.Contains("  +fails+broken (try 1): Command failed with exit code 3", result.Error);
        Assert.Contains("disk on fire", result.Error);
        var logLine = result.Error.Split('\n').Single(l => l.TrimStart().StartsWith("log: ", StringComparison.Ordinal));
        var logPath = logLine.Trim()["log: ".Length..];
        StringAssert.StartsWith(logPath, Path.Combine(project.StateFolder, "logs"));
        Assert.Contains("disk on fire", await File.ReadAllTextAsync(logPath));
        Assert.IsFalse(project.Exists("never.txt"));
    }

    [TestMethod]
    public async Task A_state_folder_written_by_a_newer_version_is_refused_naming_both_schema_versions_without_a_stack_trace()
    {
        using var project = new CliProject();
        project.Write("hello.dig", "+first:\n  sh>: echo first >> runs.txt\n");
        var first = await project.RunAsync("hello.dig", "--session", "2026-11-21");
        Assert.AreEqual(0, first.Exit, first.ToString());
        var database = Path.Combine(project.StateFolder, "runtime.db");
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_info SET version = 99";
            command.ExecuteNonQuery();
        }

        var result = await project.RunAsync("hello.dig", "--session", "2026-11-22");

        Assert.AreEqual(1, result.Exit, result.ToString());
        Assert.Contains("cannot open the state folder", result.Error);
        Assert.Contains($"The database '{database}' has schema version 99, written by a newer version of the runtime; this one reads versions up to 4.", result.Error);
        Assert.DoesNotContain("another `bo run`", result.All, "nothing holds the folder");
        Assert.DoesNotContain("   at ", result.All);
        CollectionAssert.AreEqual(new[] { "first" }, project.Lines("runs.txt"), "nothing ran");
    }

    [TestMethod]
    public async Task An_invalid_workflow_exits_1_with_positioned_errors_and_no_stack_trace()
    {
        using var project = new CliProject();
        var path = project.Write("bad.dig", "+a:\n  _paralel: true\n  +b:\n    shh>: echo\n");
        var result = await project.RunAsync("bad.dig");
        Assert.AreEqual(1, result.Exit, result.ToString());
        Assert.Contains($"{path}:2:3: unknown key '_paralel'; did you mean '_parallel'?", result.Error);
        Assert.Contains($"{path}:4:5: unknown operator 'shh>'; did you mean 'sh>'?", result.Error);
        Assert.DoesNotContain("   at ", result.All);
        Assert.IsFalse(Directory.Exists(project.StateFolder), "nothing is started for an invalid workflow");
    }

    [TestMethod]
    public async Task Bad_arguments_exit_2_with_what_was_expected()
    {
        using var project = new CliProject();
        project.Write("hello.dig", "+a:\n  echo>: hi\n");
        var session = await project.RunAsync("hello.dig", "--session", "yesterday-ish");
        Assert.AreEqual(2, session.Exit, session.ToString());
        Assert.Contains("--session 'yesterday-ish': expected daily, hourly, now, YYYY-MM-DD, \"YYYY-MM-DD HH:MM:SS\" or an ISO-8601 time with an offset", session.Error);
        var param = await project.RunAsync("hello.dig", "-p", "novalue");
        Assert.AreEqual(2, param.Exit, param.ToString());
        Assert.Contains("-p 'novalue': expected key=value", param.Error);
        var missing = await project.RunAsync("nope.dig");
        Assert.AreEqual(2, missing.Exit, missing.ToString());
        Assert.Contains("nope.dig: no such workflow file", missing.Error);
        Assert.DoesNotContain("   at ", session.All + param.All + missing.All);
    }

    [TestMethod]
    public async Task Running_a_failed_session_again_skips_the_tasks_that_succeeded()
    {
        using var project = new CliProject();
        project.Write("resume.dig", "+first:\n  sh>: echo first >> runs.txt\n+check:\n  sh>: echo check >> runs.txt && test -f ready\n+last:\n  sh>: echo last >> runs.txt\n");
        var failed = await project.RunAsync("resume.dig");
        Assert.AreEqual(1, failed.Exit, failed.ToString());
        project.Write("ready", string.Empty);

        var again = await project.RunAsync("resume.dig");
        Assert.AreEqual(0, again.Exit, again.ToString());
        Assert.Contains("failed: retrying, reusing the tasks that succeeded", again.Output);
        Assert.Contains(":retry-1", again.Output);
        Assert.Contains("  +resume+first  skipped (succeeded in an earlier attempt)", again.Output);
        Assert.Contains("(2 succeeded, 1 skipped (succeeded earlier))", again.Output);
        CollectionAssert.AreEqual(new[] { "first", "check", "check", "last" }, project.Lines("runs.txt"));
    }

    [TestMethod]
    public async Task A_succeeded_session_is_not_run_again_unless_rerun()
    {
        using var project = new CliProject();
        project.Write("once.dig", "+append:\n  sh>: echo ran >> runs.txt\n");
        Assert.AreEqual(0, (await project.RunAsync("once.dig", "--session", "2026-01-02")).Exit);

        var again = await project.RunAsync("once.dig", "--session", "2026-01-02");
        Assert.AreEqual(0, again.Exit, again.ToString());
        Assert.Contains("already succeeded", again.Output);
        Assert.Contains("Use --rerun to run it again", again.Output);
        Assert.HasCount(1, project.Lines("runs.txt"));

        var rerun = await project.RunAsync("once.dig", "--session", "2026-01-02", "--rerun");
        Assert.AreEqual(0, rerun.Exit, rerun.ToString());
        Assert.Contains(":rerun-1", rerun.Output);
        Assert.HasCount(2, project.Lines("runs.txt"));

        var otherSession = await project.RunAsync("once.dig", "--session", "2026-01-03");
        Assert.AreEqual(0, otherSession.Exit, otherSession.ToString());
        Assert.HasCount(3, project.Lines("runs.txt"));
    }

    [TestMethod]
    public async Task Running_a_succeeded_session_again_skips_per_task_and_start_or_goal_run_chosen_tasks_again()
    {
        using var project = new CliProject();
        const string Workflow = "+a:\n  sh>: echo a >> runs.txt\n+g:\n  +b:\n    sh>: echo b >> runs.txt\n  +c:\n    sh>: echo c >> runs.txt\n+d:\n  sh>: echo d >> runs.txt\n";
        project.Write("skip.dig", Workflow);
        Assert.AreEqual(0, (await project.RunAsync("skip.dig", "--session", "2026-01-02")).Exit);
        CollectionAssert.AreEqual(new[] { "a", "b", "c", "d" }, project.Lines("runs.txt"));

        // A task added to the workflow (inside a group that succeeded) runs; the others are skipped.
        project.Write("skip.dig", Workflow.Replace("+d:", "  +new:\n    sh>: echo new >> runs.txt\n+d:", StringComparison.Ordinal));
        var added = await project.RunAsync("skip.dig", "--session", "2026-01-02");
        Assert.AreEqual(0, added.Exit, added.ToString());
        Assert.Contains("skipping the tasks that succeeded", added.Output);
        Assert.Contains("  +skip+a  skipped (succeeded in an earlier attempt)", added.Output);
        CollectionAssert.AreEqual(new[] { "a", "b", "c", "d", "new" }, project.Lines("runs.txt"));

        // --start runs the task and everything after it again; --goal the task (and its children), reusing what is before it.
        var start = await project.RunAsync("skip.dig", "--session", "2026-01-02", "--start", "+c");
        Assert.AreEqual(0, start.Exit, start.ToString());
        CollectionAssert.AreEqual(new[] { "c", "new", "d" }, project.Lines("runs.txt").Skip(5).ToArray());
        var goal = await project.RunAsync("skip.dig", "--session", "2026-01-02", "--goal", "+g");
        Assert.AreEqual(0, goal.Exit, goal.ToString());
        CollectionAssert.AreEqual(new[] { "b", "c", "new" }, project.Lines("runs.txt").Skip(8).ToArray());

        var nothing = await project.RunAsync("skip.dig", "--session", "2026-01-02");
        Assert.Contains("already succeeded", nothing.Output);
        Assert.HasCount(11, project.Lines("runs.txt"));
    }

    [TestMethod]
    public async Task Tasks_a_chosen_run_skipped_are_not_successes_and_a_later_plain_run_of_the_session_runs_them()
    {
        using var project = new CliProject();
        project.Write("part.dig", "+a:\n  sh>: echo a >> runs.txt\n+g:\n  +b:\n    sh>: echo b >> runs.txt\n  +c:\n    sh>: echo c >> runs.txt\n+d:\n  sh>: echo d >> runs.txt\n");

        var only = await project.RunAsync("part.dig", "+g", "--session", "2026-01-01");
        Assert.AreEqual(0, only.Exit, only.ToString());
        Assert.Contains("  +part+a  skipped (not chosen to run)", only.Output);
        Assert.Contains("  +part+d  skipped (not chosen to run)", only.Output);
        Assert.Contains("(2 succeeded, 2 skipped (not chosen to run))", only.Output);
        var plain = await project.RunAsync("part.dig", "--session", "2026-01-01");
        Assert.AreEqual(0, plain.Exit, plain.ToString());
        Assert.DoesNotContain("already succeeded", plain.Output);
        CollectionAssert.AreEqual(new[] { "b", "c", "a", "d" }, project.Lines("runs.txt"), "+a and +d never ran: now they do, +b and +c are reused");

        File.Delete(Path.Combine(project.Folder, "runs.txt"));
        Assert.AreEqual(0, (await project.RunAsync("part.dig", "--start", "+c", "--session", "2026-01-02")).Exit);
        Assert.AreEqual(0, (await project.RunAsync("part.dig", "--session", "2026-01-02")).Exit);
        CollectionAssert.AreEqual(new[] { "c", "d", "a", "b" }, project.Lines("runs.txt"), "what --start skipped runs later");

        File.Delete(Path.Combine(project.Folder, "runs.txt"));
        Assert.AreEqual(0, (await project.RunAsync("part.dig", "--goal", "+b", "--session", "2026-01-03")).Exit);
        Assert.AreEqual(0, (await project.RunAsync("part.dig", "--session", "2026-01-03")).Exit);
        CollectionAssert.AreEqual(new[] { "a", "b", "c", "d" }, project.Lines("runs.txt"), "what --goal skipped runs later");
        Assert.Contains("already succeeded", (await project.RunAsync("part.dig", "--session", "2026-01-03")).Output);
    }

    [TestMethod]
    public async Task Params_from_p_and_a_params_file_reach_tasks_typed_like_yaml()
    {
        using var project = new CliProject();
        project.Write("params.dig", "+show:\n  sh>: echo \"${name} ${count + 1} ${flag} ${region}\" > out.txt\n");
        project.Write("params.yml", "region: eu\nname: from-file\n");
        var result = await project.RunAsync("params.dig", "--params-file", Path.Combine(project.Folder, "params.yml"), "-p", "name=Ada Lovelace", "-p", "count=41", "-p", "flag=true");
        Assert.AreEqual(0, result.Exit, result.ToString());
        Assert.AreEqual("Ada Lovelace 42 true eu", project.Read("out.txt").Trim());
    }

    [TestMethod]
    public async Task Session_id_numbers_the_project_s_sessions_from_1_as_Digdag_does()
    {
        using var project = new CliProject();
        project.Write("ids.dig", "+show:\n  sh>: echo ${session_id} >> ids.txt\n");
        Assert.AreEqual(0, (await project.RunAsync("ids.dig", "--session", "2026-01-01")).Exit);
        Assert.AreEqual(0, (await project.RunAsync("ids.dig", "--session", "2026-01-02")).Exit);
        Assert.AreEqual(0, (await project.RunAsync("ids.dig", "--session", "2026-01-01", "--rerun")).Exit);

        CollectionAssert.AreEqual(new[] { "1", "2", "1" }, project.Lines("ids.txt"), "a session keeps its number across attempts");
    }

    [TestMethod]
    public async Task The_session_time_is_read_in_the_workflow_time_zone()
    {
        using var project = new CliProject();
        project.Write("tz.dig", "timezone: Asia/Tokyo\n+show:\n  sh>: echo ${session_time} > out.txt\n");
        var result = await project.RunAsync("tz.dig", "--session", "2026-01-02 03:04:05");
        Assert.AreEqual(0, result.Exit, result.ToString());
        Assert.AreEqual("2026-01-02T03:04:05+09:00", project.Read("out.txt").Trim());
        Assert.Contains($"attempt bo:{project.Name}:tz:2026-01-01T18:04:05Z:0", result.Output);
    }

    [TestMethod]
    public async Task Ctrl_c_stops_waiting_and_the_next_run_carries_the_attempt_on()
    {
        using var project = new CliProject();
        project.Write("slow.dig", "+first:\n  sh>: echo first >> runs.txt\n+wait:\n  sh>: echo wait >> runs.txt; while [ ! -f go ]; do sleep 0.05; done\n+last:\n  sh>: echo last >> runs.txt\n");
        using var ctrlC = new CancellationTokenSource();
        var run = project.BoAsync(["run", Path.Combine(project.Folder, "slow.dig")], ctrlC.Token);
        await project.WaitForTaskAsync("+slow+wait", Engine.Stores.TaskState.Running);
        await ctrlC.CancelAsync();
        var interrupted = await run;
        Assert.AreEqual(130, interrupted.Exit, interrupted.ToString());
        Assert.Contains("interrupted: stopped waiting for attempt", interrupted.Output);
        Assert.Contains($"run `bo run {Path.Combine(project.Folder, "slow.dig")} --session ", interrupted.Output);
        var hinted = interrupted.Output.Split("--session ")[1].Split('`')[0];

        project.Write("go", string.Empty);
        // The hint names the session, so it carries the attempt on whatever day it is run.
        var carried = await project.RunAsync("slow.dig", "--session", hinted);
        Assert.Contains($"carrying on attempt bo:{project.Name}:slow:", carried.Output);
        Assert.AreEqual(0, carried.Exit, carried.ToString());
        Assert.AreEqual(1, project.Lines("runs.txt").Count(l => l == "first"), string.Join(",", project.Lines("runs.txt")));
        Assert.AreEqual(1, project.Lines("runs.txt").Count(l => l == "last"));

        Assert.HasCount(1, await project.AttemptsAsync());
    }

    [TestMethod]
    public async Task Dry_run_checks_and_names_the_session_but_runs_nothing()
    {
        using var project = new CliProject();
        project.Write("dry.dig", "+t:\n  sh>: touch ran.txt\n");

        var result = await project.RunAsync("dry.dig", "--dry-run", "--session", "2026-03-04");

        Assert.AreEqual(0, result.Exit, result.ToString());
        Assert.Contains("dry run: would run session 2026-03-04 00:00:00 +00:00 of dry", result.Output);
        Assert.IsFalse(project.Exists("ran.txt"));
        Assert.IsFalse(Directory.Exists(Path.Combine(project.Folder, ".bo")), "nothing is started, not even the engine");
    }

    [TestMethod]
    public async Task Max_parallel_bounds_how_many_tasks_run_at_once()
    {
        using var project = new CliProject();
        var children = string.Concat(Enumerable.Range(0, 4).Select(i => $"  +t{i}:\n    sh>: echo start >> log.txt; sleep 0.2; echo end >> log.txt\n"));
        project.Write("par.dig", "+g:\n  _parallel: true\n" + children);

        var result = await project.RunAsync("par.dig", "--max-parallel", "1");

        Assert.AreEqual(0, result.Exit, result.ToString());
        CollectionAssert.AreEqual(
            Enumerable.Repeat(new[] { "start", "end" }, 4).SelectMany(x => x).ToArray(),
            project.Lines("log.txt"),
            "with one slot, no task starts before the previous one ended");
        Assert.AreEqual(2, (await project.RunAsync("par.dig", "--max-parallel", "0", "--rerun")).Exit);
    }

    [TestMethod]
    public async Task A_task_argument_start_and_goal_choose_which_tasks_run()
    {
        using var project = new CliProject();
        project.Write("sel.dig", """
            +a:
              sh>: echo a >> runs.txt
            +g:
              +b:
                sh>: echo b >> runs.txt
              +c:
                sh>: echo c >> runs.txt
            +d:
              sh>: echo d >> runs.txt
            """);

        Assert.AreEqual(0, (await project.RunAsync("sel.dig", "+g", "--session", "2026-01-01")).Exit);
        CollectionAssert.AreEqual(new[] { "b", "c" }, project.Lines("runs.txt"), "only +g and its children");

        File.Delete(Path.Combine(project.Folder, "runs.txt"));
        Assert.AreEqual(0, (await project.RunAsync("sel.dig", "--start", "+c", "--session", "2026-01-02")).Exit);
        CollectionAssert.AreEqual(new[] { "c", "d" }, project.Lines("runs.txt"), "from +c to the end");

        File.Delete(Path.Combine(project.Folder, "runs.txt"));
        Assert.AreEqual(0, (await project.RunAsync("sel.dig", "--goal", "+b", "--session", "2026-01-03")).Exit);
        CollectionAssert.AreEqual(new[] { "a", "b" }, project.Lines("runs.txt"), "up to +b");

        var unknown = await project.RunAsync("sel.dig", "+nope", "--session", "2026-01-04");
        Assert.AreEqual(1, unknown.Exit);
        Assert.Contains("task '+sel+nope' is not in workflow sel", unknown.ToString());
    }
}
