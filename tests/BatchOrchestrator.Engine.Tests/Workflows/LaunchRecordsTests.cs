using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// The task records a command launch carries (the earlier tasks' ends, its own start) are committed
/// with its started-try mark; a launch that fails before it gets there still writes them.
/// </summary>
[TestClass]
public sealed class LaunchRecordsTests
{
    [TestMethod]
    public async Task A_launch_that_fails_before_its_command_starts_still_records_the_task_before_it_as_succeeded()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("wf.dig", """
            +first:
              sh>: echo first
            +bad:
              _export:
                container:
                  executor: nowhere
              sh>: echo bad
            """);

        var run = await project.RunAsync("wf");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual(TaskState.Success, run.Task("+wf+first").State, run.Describe());
        Assert.AreEqual(TaskState.Error, run.Task("+wf+bad").State, run.Describe());
        Assert.Contains("container.executor 'nowhere' is not available", run.Task("+wf+bad").Error!);
    }
}
