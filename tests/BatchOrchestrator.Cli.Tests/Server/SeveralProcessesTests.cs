using BatchOrchestrator.Cli.Tests.Support;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Tests.Server;

/// <summary>Several <c>bo</c> processes on one project: never "database in use".</summary>
[TestClass]
public sealed class SeveralProcessesTests
{
    [TestMethod]
    public async Task Run_retry_and_kill_while_bo_server_runs_on_the_project_go_through_the_server()
    {
        using var project = new CliProject();
        project.Write("hello.dig", "+say:\n  sh>: echo hi >> runs.txt\n");
        project.Write("sleepy.dig", "+nap:\n  sh>: sleep 60\n");
        using var server = await BoServerProcess.StartAsync(project.Folder);
        var file = Path.Combine(project.StateFolder, "server.json");
        Assert.IsTrue(File.Exists(file), "bo server says where it answers in the state folder");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file), "only its user reads it: it may hold the token");

        var run = await project.RunAsync("hello.dig", "--session", "2026-11-21");
        Assert.AreEqual(0, run.Exit, run.ToString());
        Assert.Contains($"bo server (pid {server.Pid}) runs this project's state: running hello there, at {server.Client.BaseAddress}", run.Output);
        Assert.Contains("  +hello+say  success", run.Output);
        Assert.Contains($"success: attempt bo:{project.Name}:hello:2026-11-21T00:00:00Z:0 finished", run.Output);
        Assert.DoesNotContain("in use", run.All);
        CollectionAssert.AreEqual(new[] { "hi" }, project.Lines("runs.txt"));

        var again = await project.RunAsync("hello.dig", "--session", "2026-11-21", "--rerun");
        Assert.AreEqual(0, again.Exit, again.ToString());
        Assert.Contains("(all tasks) as attempt ", again.Output);
        var retry = await project.StateAsync("retry", "1", "--all");
        Assert.AreEqual(0, retry.Exit, retry.ToString());
        Assert.Contains($"bo server (pid {server.Pid}) runs this project's state: retrying there", retry.Output);

        var sleepy = project.RunAsync("sleepy.dig", "--session", "2026-11-22");
        await project.WaitForTaskAsync("+sleepy+nap", TaskState.Running);
        var kill = await project.StateAsync("kill", "1");
        Assert.AreEqual(0, kill.Exit, kill.ToString());
        Assert.Contains($"killed attempt bo:{project.Name}:sleepy:2026-11-22T00:00:00Z:0", kill.Output);
        var killed = await sleepy;
        Assert.AreEqual(1, killed.Exit, killed.ToString());
        Assert.Contains("killed: attempt ", killed.Output);
    }

    [TestMethod]
    public async Task A_second_run_on_a_project_another_run_holds_says_what_runs_and_how_to_reach_it()
    {
        using var project = new CliProject();
        project.Write("sleepy.dig", "+nap:\n  sh>: sleep 60\n");
        project.Write("hello.dig", "+say:\n  echo>: hi\n");
        var first = project.RunAsync("sleepy.dig", "--session", "2026-11-22");
        await project.WaitForTaskAsync("+sleepy+nap", TaskState.Running);

        var second = await project.RunAsync("hello.dig");
        Assert.AreEqual(1, second.Exit, second.ToString());
        Assert.Contains($"another `bo run` or `bo retry` is running this project: attempt bo:{project.Name}:sleepy:2026-11-22T00:00:00Z:0 (sleepy, session 2026-11-22 00:00:00 +00:00)", second.Error);
        Assert.Contains("`bo log -f <attempt>`", second.Error);
        Assert.DoesNotContain("in use", second.All);

        Assert.AreEqual(0, (await project.StateAsync("kill", "1")).Exit);
        Assert.AreEqual(1, (await first).Exit);
    }
}
