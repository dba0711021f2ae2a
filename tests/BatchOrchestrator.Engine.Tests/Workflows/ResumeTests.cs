using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class ResumeTests
{
    [TestMethod]
    public async Task Retry_failed_reuses_succeeded_tasks_with_their_stored_params()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("r.dig", """
            +a:
              sh>: echo a >> runs.txt; echo "token=t-42" > $BO_OUTPUT
            +b:
              sh>: echo b >> runs.txt; test -f fixed
            +c:
              sh>: echo "c ${token}" >> runs.txt
            """);

        var first = await project.RunAsync("r");
        Assert.IsFalse(first.Succeeded);
        project.Write("fixed", "");

        var retry = await project.RunAsync("r", retryName: "retry-1", resume: ResumeMode.Failed, resumeFrom: first.AttemptId);

        Assert.IsTrue(retry.Succeeded, retry.Describe());
        Assert.AreEqual("a\nb\nb\nc t-42\n", project.Read("runs.txt"));
        Assert.AreNotEqual(first.AttemptId, retry.AttemptId);
    }

    [TestMethod]
    public async Task Retry_failed_keeps_the_params_stored_inside_a_call()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("child.dig", """
            +produce:
              sh>: echo produce >> runs.txt; echo "x=from_child" > $BO_OUTPUT
            """);
        project.Write("parent.dig", """
            +call_child:
              call>: child
            +flaky:
              sh>: test -f fixed
            +use:
              sh>: echo "use ${x}" >> runs.txt
            """);

        var first = await project.RunAsync("parent");
        Assert.IsFalse(first.Succeeded);
        project.Write("fixed", "");

        var retry = await project.RunAsync("parent", retryName: "retry-1", resume: ResumeMode.Failed, resumeFrom: first.AttemptId);

        Assert.IsTrue(retry.Succeeded, retry.Describe());
        Assert.AreEqual("produce\nuse from_child\n", project.Read("runs.txt"));
    }

    [TestMethod]
    public async Task Retry_from_a_task_runs_it_and_everything_after_it_again()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("f.dig", """
            +a:
              sh>: echo a >> runs.txt
            +b:
              sh>: echo b >> runs.txt
            +c:
              sh>: echo c >> runs.txt
            """);

        var first = await project.RunAsync("f");
        Assert.IsTrue(first.Succeeded, first.Describe());

        var retry = await project.RunAsync("f", retryName: "from-b", resume: ResumeMode.From, resumeFrom: first.AttemptId, fromTask: "+f+b");

        Assert.IsTrue(retry.Succeeded, retry.Describe());
        Assert.AreEqual("a\nb\nc\nb\nc\n", project.Read("runs.txt"));
    }

    [TestMethod]
    public async Task Session_params_given_on_retry_are_used()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("p.dig", """
            +a:
              sh>: test "${mode}" = good && echo "mode ${mode}" >> runs.txt
            """);

        var first = await project.RunAsync("p", new { mode = "bad" });
        Assert.IsFalse(first.Succeeded);

        var retry = await project.RunAsync("p", new { mode = "good" }, retryName: "retry-1", resume: ResumeMode.Failed, resumeFrom: first.AttemptId);

        Assert.IsTrue(retry.Succeeded, retry.Describe());
        Assert.AreEqual("mode good\n", project.Read("runs.txt"));
    }
}
