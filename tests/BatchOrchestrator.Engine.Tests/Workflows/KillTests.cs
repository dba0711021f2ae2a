using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class KillTests
{
    [TestMethod]
    public async Task Killing_an_attempt_stops_its_processes_cancels_its_tasks_and_runs_nothing_new()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("k.dig", """
            +long:
              sh>: sleep 60 & echo $! > child.pid; wait
            +never:
              sh>: touch never.txt
            """);

        var started = await project.StartAsync("k");
        await project.WaitForTaskAsync(started.AttemptId, "+k+long", TaskState.Running);
        using (var pidGuard = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!project.Exists("child.pid") || project.Read("child.pid").Length == 0)
            {
                await Task.Delay(20, pidGuard.Token);
            }
        }

        var childPid = int.Parse(project.Read("child.pid").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsTrue(await project.Engine!.KillAsync(started.AttemptId, CancellationToken.None));

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Directory.Exists($"/proc/{childPid}") && !File.ReadAllText($"/proc/{childPid}/stat").Contains(") Z ", StringComparison.Ordinal))
        {
            await Task.Delay(20, guard.Token);
        }

        var attempt = await project.Engine.Runs.GetAttemptAsync(started.AttemptId, CancellationToken.None);
        Assert.AreEqual(AttemptStatus.Killed, attempt!.Status);
        var tasks = await project.Engine.Runs.GetTasksAsync(started.AttemptId, CancellationToken.None);
        Assert.AreEqual(TaskState.Canceled, tasks.Single(t => t.TaskName == "+k+long").State);
        Assert.IsFalse(project.Exists("never.txt"));
        Assert.IsFalse(await project.Engine.KillAsync(started.AttemptId, CancellationToken.None), "a finished attempt cannot be killed again");
    }
}
