using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Commands;

[TestClass]
public sealed class StateCommandsTests
{
    private const string Workflow = "+prepare:\n  sh>: echo preparing\n+load:\n  +a:\n    sh>: echo loading a\n  +b:\n    sh>: echo 'b is broken' && exit 4\n  _error:\n    sh>: echo cleanup\n";

    [TestMethod]
    public async Task Sessions_and_attempts_list_what_ran_with_status()
    {
        using var project = new CliProject();
        project.Write("report.dig", Workflow);
        Assert.AreEqual(1, (await project.RunAsync("report.dig", "--session", "2026-11-21")).Exit);
        Assert.AreEqual(1, (await project.RunAsync("report.dig", "--session", "2026-11-21")).Exit);

        var sessions = await project.StateAsync("sessions");
        Assert.AreEqual(0, sessions.Exit, sessions.ToString());
        Assert.Contains("session", sessions.Output);
        Assert.Contains($"bo:{project.Name}:report:2026-11-21T00:00:00Z  report    2026-11-21 00:00:00 +00:00  2         #2 retry-1  error", sessions.Output);

        var attempts = await project.StateAsync("attempts");
        Assert.AreEqual(0, attempts.Exit, attempts.ToString());
        Assert.Contains($"bo:{project.Name}:report:2026-11-21T00:00:00Z:retry-1", attempts.Output);
        Assert.Contains("#2 retry-1", attempts.Output);
        Assert.Contains($"bo:{project.Name}:report:2026-11-21T00:00:00Z:0 ", attempts.Output);

        var ofSession = await project.StateAsync("attempts", "report:2026-11-21");
        Assert.AreEqual(0, ofSession.Exit, ofSession.ToString());
        Assert.Contains("#1", ofSession.Output);
    }

    [TestMethod]
    public async Task Tasks_shows_the_tree_with_states_tries_and_the_error_with_its_log()
    {
        using var project = new CliProject();
        project.Write("report.dig", Workflow);
        Assert.AreEqual(1, (await project.RunAsync("report.dig")).Exit);

        var tasks = await project.StateAsync("tasks", "1");
        Assert.AreEqual(0, tasks.Exit, tasks.ToString());
        Assert.Contains("task", tasks.Output);
        Assert.Contains("tries", tasks.Output);
        StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"├─ \+prepare\s+success\s+1 "));
        StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"   ├─ \+a\s+success\s+1 "));
        StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"   ├─ \+b\s+error\s+1 .*Command failed with exit code 4"));
        StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"   └─ \^error\s+success"));
        Assert.Contains("+report+load+b (error, try 1):", tasks.Output);
        Assert.Contains("b is broken", tasks.Output);
        Assert.Contains("  log: " + Path.Combine(project.StateFolder, "logs"), tasks.Output);

        var byPrefix = await project.StateAsync("tasks", $"bo:{project.Name}:report");
        Assert.AreEqual(0, byPrefix.Exit, byPrefix.ToString());
    }

    [TestMethod]
    public async Task Log_prints_every_task_log_or_one_task_and_what_is_under_it()
    {
        using var project = new CliProject();
        project.Write("report.dig", Workflow);
        Assert.AreEqual(1, (await project.RunAsync("report.dig")).Exit);

        var all = await project.StateAsync("log", "1");
        Assert.AreEqual(0, all.Exit, all.ToString());
        Assert.Contains("--- +report+prepare (try 1) ---", all.Output);
        Assert.Contains("preparing", all.Output);
        Assert.Contains("--- +report+load+b (try 1) ---", all.Output);
        Assert.Contains("b is broken", all.Output);
        Assert.Contains("cleanup", all.Output);

        var one = await project.StateAsync("log", "1", "+load");
        Assert.AreEqual(0, one.Exit, one.ToString());
        Assert.Contains("loading a", one.Output);
        Assert.Contains("b is broken", one.Output);
        Assert.DoesNotContain("preparing", one.Output);

        var follow = await project.StateAsync("log", "1", "+b", "-f");
        Assert.AreEqual(0, follow.Exit, follow.ToString());
        Assert.Contains("b is broken", follow.Output);
    }

    [TestMethod]
    public async Task Log_follow_prints_output_as_it_comes_until_the_attempt_ends()
    {
        using var project = new CliProject();
        project.Write("stream.dig", "+talk:\n  sh>: echo first line; while [ ! -f go ]; do sleep 0.05; done; echo second line\n");
        var run = project.RunAsync("stream.dig");
        await project.WaitForTaskAsync("+stream+talk", Engine.Stores.TaskState.Running);
        var follow = project.StateAsync("log", "1", "-f");
        project.Write("go", string.Empty);
        var followed = await follow;
        Assert.AreEqual(0, (await run).Exit);
        Assert.AreEqual(0, followed.Exit, followed.ToString());
        Assert.Contains("first line", followed.Output);
        Assert.Contains("second line", followed.Output);
    }

    [TestMethod]
    public async Task Unknown_attempts_and_missing_state_are_clear_errors()
    {
        using var project = new CliProject();
        var none = await project.StateAsync("sessions");
        Assert.AreEqual(1, none.Exit, none.ToString());
        Assert.Contains("no local state in " + project.StateFolder, none.Error);

        project.Write("hello.dig", "+a:\n  echo>: hi\n");
        Assert.AreEqual(0, (await project.RunAsync("hello.dig")).Exit);
        var unknown = await project.StateAsync("tasks", "nothing-like-this");
        Assert.AreEqual(1, unknown.Exit, unknown.ToString());
        Assert.Contains("no attempt matches 'nothing-like-this' (see `bo attempts`)", unknown.Error);
        var noIndex = await project.StateAsync("tasks", "7");
        Assert.AreEqual(1, noIndex.Exit, noIndex.ToString());
        Assert.Contains("has no attempt #7", noIndex.Error);
        Assert.DoesNotContain("   at ", none.All + unknown.All + noIndex.All);
    }
}
