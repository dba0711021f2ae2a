using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Engine.Tests.Executors;

/// <summary>A workflow asking for a container executor the host has no settings for, registered as <c>bo run</c> does.</summary>
[TestClass]
public sealed class UnconfiguredExecutorWorkflowTests
{
    [TestMethod]
    public async Task A_kubernetes_task_on_an_unconfigured_host_fails_with_what_to_set_and_local_tasks_still_run()
    {
        var executors = await ExecutorConfiguration.ReadAsync(
            new Dictionary<string, string> { ["HOME"] = "/nonexistent" }, new ExecutorConfigurationOptions { ServiceAccountFolder = "/nonexistent" }, CancellationToken.None);
        await using var project = await WorkflowProject.StartAsync(extraExecutors: executors);
        project.Write("k8s.dig", """
            +local:
              sh>: echo "local ran"
            +train:
              _export:
                container: {executor: kubernetes, image: myacr.azurecr.io/etl:1.4}
              sh>: echo never
            """);

        var run = await project.RunAsync("k8s");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual("local ran\n", await project.LogAsync(run, "+k8s+local"));
        var error = run.Outcome.Errors.Single();
        StringAssert.StartsWith(error.Message, "container.executor 'kubernetes' is not configured on this host: set BO_KUBERNETES=1");
    }

    [TestMethod]
    public async Task An_unknown_executor_names_the_available_ones()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("typo.dig", """
            +t:
              _export:
                container: {executor: kubernets}
              sh>: echo never
            """);

        var run = await project.RunAsync("typo");

        Assert.IsFalse(run.Succeeded);
        StringAssert.StartsWith(run.Outcome.Errors.Single().Message, "container.executor 'kubernets' is not available on this host (available: local)");
    }
}
