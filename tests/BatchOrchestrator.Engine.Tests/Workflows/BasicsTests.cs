using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class BasicsTests
{
    [TestMethod]
    public async Task Tasks_run_in_order_and_every_task_is_recorded()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("order.dig", """
            +first:
              sh>: echo first >> out.txt
            +group:
              +second:
                sh>: echo second >> out.txt
              +third:
                echo>: hello ${session_date}
            +fourth:
              sh>: echo fourth >> out.txt
            """);

        var run = await project.RunAsync("order");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("first\nsecond\nfourth\n", project.Read("out.txt"));
        foreach (var name in new[] { "+order", "+order+first", "+order+group", "+order+group+second", "+order+group+third", "+order+fourth" })
        {
            Assert.AreEqual(TaskState.Success, run.Task(name).State, name);
        }

        Assert.AreEqual("hello 2026-11-21\n", await project.LogAsync(run, "+order+group+third"));
    }

    [TestMethod]
    public async Task A_failing_task_fails_the_attempt_and_later_tasks_do_not_run()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("fails.dig", """
            +ok:
              sh>: echo ok
            +bad:
              sh>: echo "about to fail"; exit 3
            +never:
              sh>: touch never.txt
            """);

        var run = await project.RunAsync("fails");

        Assert.IsFalse(run.Succeeded);
        var error = run.Outcome.Errors.Single();
        Assert.AreEqual("+fails+bad", error.TaskName);
        Assert.Contains("about to fail", error.Message);
        Assert.AreEqual(TaskState.Error, run.Task("+fails+bad").State);
        Assert.AreEqual(TaskState.Canceled, run.Task("+fails+never").State);
        Assert.IsFalse(project.Exists("never.txt"));
        Assert.AreEqual(AttemptStatus.Error, (await project.Engine!.Runs.GetAttemptAsync(run.AttemptId, CancellationToken.None))!.Status);
    }

    [TestMethod]
    public async Task Starting_the_same_session_twice_returns_the_same_attempt()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("once.dig", "+t:\n  sh>: echo run >> runs.txt\n");

        var first = await project.RunAsync("once");
        var second = await project.RunAsync("once");

        Assert.AreEqual(first.AttemptId, second.AttemptId);
        Assert.AreEqual("run\n", project.Read("runs.txt"));
    }
}
