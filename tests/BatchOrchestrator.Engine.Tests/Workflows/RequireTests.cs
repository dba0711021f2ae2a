using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class RequireTests
{
    [TestMethod]
    public async Task Require_starts_the_other_workflows_session_and_waits_for_it()
    {
        await using var project = await WorkflowProject.StartAsync(new Engine.Workflows.WorkflowEngineOptions { RequirePollInterval = TimeSpan.FromMilliseconds(100) });
        project.Write("upstream.dig", "+make:\n  sh>: echo \"upstream ${session_date}\" >> out.txt\n");
        project.Write("downstream.dig", """
            +need:
              require>: upstream
            +use:
              sh>: echo downstream >> out.txt
            """);

        var run = await project.RunAsync("downstream");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("upstream 2026-11-21\ndownstream\n", project.Read("out.txt"));

        // The upstream session exists now: requiring it again waits for nothing and starts nothing.
        project.Write("again.dig", "+need:\n  require>: upstream\n");
        Assert.IsTrue((await project.RunAsync("again")).Succeeded);
        Assert.AreEqual("upstream 2026-11-21\ndownstream\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task A_failed_required_session_fails_the_task_unless_failure_is_ignored_and_reruns_when_asked()
    {
        await using var project = await WorkflowProject.StartAsync(new Engine.Workflows.WorkflowEngineOptions { RequirePollInterval = TimeSpan.FromMilliseconds(100) });
        project.Write("up.dig", "+flaky:\n  sh>: echo try >> up.txt; test -f fixed\n");
        project.Write("strict.dig", "+need:\n  require>: up\n");
        project.Write("lenient.dig", "+need:\n  require>: up\n  ignore_failure: true\n");
        project.Write("rerun.dig", "+need:\n  require>: up\n  rerun_on: failed\n");

        var strict = await project.RunAsync("strict");
        Assert.IsFalse(strict.Succeeded);
        Assert.Contains("ended as error", strict.Outcome.Errors.Single().Message);

        Assert.IsTrue((await project.RunAsync("lenient")).Succeeded);
        Assert.AreEqual("try\n", project.Read("up.txt"), "ignore_failure does not run the failed session again");

        project.Write("fixed", "");
        var rerun = await project.RunAsync("rerun");
        Assert.IsTrue(rerun.Succeeded, rerun.Describe());
        Assert.AreEqual("try\ntry\n", project.Read("up.txt"));
    }
}
