using System.Diagnostics;
using BatchOrchestrator.Cli.Tests.Support;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Tests.Commands;

[TestClass]
public sealed class KillCommandTests
{
    [TestMethod]
    public async Task Kill_ends_a_running_attempt_quickly_and_marks_it_killed()
    {
        using var project = new CliProject();
        project.Write("sleepy.dig", "+nap:\n  sh>: sleep 60\n+after:\n  sh>: echo after >> runs.txt\n");
        var run = project.RunAsync("sleepy.dig");
        await project.WaitForTaskAsync("+sleepy+nap", TaskState.Running);

        var clock = Stopwatch.StartNew();
        var kill = await project.StateAsync("kill", $"bo:{project.Name}:sleepy");
        Assert.AreEqual(0, kill.Exit, kill.ToString());
        Assert.Contains($"killed attempt bo:{project.Name}:sleepy:", kill.Output);

        var ended = await run;
        Assert.IsLessThan(TimeSpan.FromSeconds(20), clock.Elapsed, "the run ends long before sleep 60 would");
        Assert.AreEqual(1, ended.Exit, ended.ToString());
        Assert.Contains($"killed: attempt bo:{project.Name}:sleepy:", ended.Output);
        Assert.Contains("was killed", ended.Output);
        Assert.IsFalse(project.Exists("runs.txt"), "tasks after the killed one never run");

        var attempts = await project.AttemptsAsync();
        Assert.AreEqual(AttemptStatus.Killed, attempts.Single().Status);
        var tasks = await project.StateAsync("tasks", "1");
        StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"\+nap\s+canceled"));

        var again = await project.StateAsync("kill", "1");
        Assert.AreEqual(0, again.Exit, again.ToString());
        Assert.Contains("already ended: killed", again.Output);
    }
}
