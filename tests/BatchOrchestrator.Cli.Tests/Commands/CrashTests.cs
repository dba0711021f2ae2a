using System.Diagnostics;
using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Commands;

[TestClass]
public sealed class CrashTests
{
    [TestMethod]
    public async Task A_bo_run_killed_mid_run_is_carried_on_by_the_next_without_rerunning_succeeded_tasks()
    {
        using var project = new CliProject();
        project.Write("chain.dig", """
            +t1:
              sh>: echo t1 >> runs.txt
            +t2:
              sh>: echo t2 >> runs.txt
            +t3:
              sh>: echo t3 >> runs.txt; touch t3.started; while [ ! -f release ]; do sleep 0.05; done
            +t4:
              sh>: echo t4 >> runs.txt
            +t5:
              sh>: echo t5 >> runs.txt
            """);

        using (var child = StartBo(project, "run", Path.Combine(project.Folder, "chain.dig")))
        {
            using var guard = new CancellationTokenSource(CliProject.Guard);
            while (!project.Exists("t3.started"))
            {
                Assert.IsFalse(child.HasExited, $"bo run ended early: {await child.StandardOutput.ReadToEndAsync(guard.Token)}{await child.StandardError.ReadToEndAsync(guard.Token)}");
                await Task.Delay(50, guard.Token);
            }

            child.Kill(); // SIGKILL, bo alone: its task process lives on, as after a real crash
            await child.WaitForExitAsync(guard.Token);
        }

        project.Write("release", string.Empty);
        var carried = await project.RunAsync("chain.dig");
        Assert.Contains("carrying on attempt", carried.Output);
        Assert.AreEqual(0, carried.Exit, carried.ToString());

        var runs = project.Lines("runs.txt");
        var message = string.Join(",", runs);
        foreach (var task in new[] { "t1", "t2", "t4", "t5" })
        {
            Assert.AreEqual(1, runs.Count(l => l == task), $"{task} ran once: {message}");
        }

        Assert.IsTrue(runs.Count(l => l == "t3") is 1 or 2, $"only the task in flight may run again: {message}");

        Assert.HasCount(1, await project.AttemptsAsync());
    }

    [TestMethod]
    public async Task A_bo_run_stopped_with_SIGTERM_saves_its_state_and_exits_143()
    {
        using var project = new CliProject();
        project.Write("slow.dig", """
            +wait:
              sh>: touch started; while [ ! -f release ]; do sleep 0.05; done
            """);

        using var child = StartBo(project, "run", Path.Combine(project.Folder, "slow.dig"), "--session", "2026-01-02");
        using var guard = new CancellationTokenSource(CliProject.Guard);
        var output = child.StandardOutput.ReadToEndAsync(guard.Token);
        while (!project.Exists("started"))
        {
            Assert.IsFalse(child.HasExited, "bo run ended early");
            await Task.Delay(50, guard.Token);
        }

        using (var kill = Process.Start("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(guard.Token);
        }

        await child.WaitForExitAsync(guard.Token);
        Assert.AreEqual(143, child.ExitCode, await output);
        StringAssert.Contains(await output, "interrupted: stopped waiting for attempt");
        StringAssert.Contains(await output, "--session 2026-01-02T00:00:00+00:00");
    }

    private static Process StartBo(CliProject project, params string[] args)
    {
        var bo = Path.Combine(Path.GetDirectoryName(typeof(BoCommandLine).Assembly.Location)!, "bo.dll");
        Assert.IsTrue(File.Exists(bo), $"bo.dll not found at {bo}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = project.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(bo);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new AssertFailedException("could not start bo");
    }
}
