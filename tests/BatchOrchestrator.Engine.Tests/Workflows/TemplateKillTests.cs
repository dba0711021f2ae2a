using System.Diagnostics;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>A kill stops a template that is evaluating inside the attempt's orchestration, on the embedded runtime.</summary>
[TestClass]
public sealed class TemplateKillTests
{
    [TestMethod]
    public async Task Killing_an_attempt_stops_the_template_its_orchestration_is_evaluating()
    {
        // Limits far above the test's guard: only the kill can stop this template.
        var templates = new TemplateEngineOptions { Timeout = TimeSpan.FromMinutes(10), MaxStatements = int.MaxValue };
        await using var project = await WorkflowProject.StartAsync(new WorkflowEngineOptions { Templates = templates });
        project.Write("k.dig", """
            +first:
              sh>: touch first.txt
            +burn:
              echo>: ${(function () { for (;;) {} })()}
            """);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var started = await project.StartAsync("k", cancellationToken: guard.Token);
        await BurningAsync(project, guard.Token);

        Assert.IsTrue(await project.Engine!.KillAsync(started.AttemptId, guard.Token));
        var outcome = await project.Engine.WaitAsync(started.AttemptId, guard.Token);

        Assert.IsFalse(outcome.Succeeded);
        Assert.AreEqual(AttemptStatus.Killed, (await project.Engine.Runs.GetAttemptAsync(started.AttemptId, guard.Token))!.Status);

        // Started again, the engine finds the attempt ended: nothing to evaluate again.
        await project.RestartAsync();
        Assert.AreEqual(AttemptStatus.Killed, (await project.Engine!.Runs.GetAttemptAsync(started.AttemptId, guard.Token))!.Status);
        Assert.IsFalse((await project.Engine.WaitAsync(started.AttemptId, guard.Token)).Succeeded);
    }

    /// <summary>
    /// The first task ran, and the process has used a second of CPU time since: the second task's
    /// template is evaluating (nothing else here computes for that long).
    /// </summary>
    private static async Task BurningAsync(WorkflowProject project, CancellationToken cancellationToken)
    {
        while (!project.Exists("first.txt"))
        {
            await Task.Delay(20, cancellationToken);
        }

        var process = Process.GetCurrentProcess();
        var from = process.TotalProcessorTime;
        do
        {
            await Task.Delay(20, cancellationToken);
            process.Refresh();
        }
        while (process.TotalProcessorTime - from < TimeSpan.FromSeconds(1));
    }
}
