using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>A loop's <c>_parallel: ${...}</c> renders to text; Digdag reads that text as a boolean.</summary>
[TestClass]
public sealed class LoopParallelTemplateTests
{
    [TestMethod]
    public async Task A_template_rendering_true_runs_the_iterations_in_parallel()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("lp.dig", """
            _export:
              parallel: true
            +loop:
              loop>: 2
              _parallel: ${parallel}
              _do:
                sh>: echo ${i} >> out.txt
            """);

        var run = await project.RunAsync("lp");

        Assert.IsTrue(run.Succeeded, run.Describe());
        CollectionAssert.AreEquivalent(new[] { "0", "1" }, project.Read("out.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [TestMethod]
    public async Task A_template_rendering_other_text_fails_the_loop_and_says_why()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("lp.dig", """
            +loop:
              for_each>:
                x: [a, b]
              _parallel: ${mode}
              _do:
                echo>: ${x}
            """);

        var run = await project.RunAsync("lp", new { mode = "tru" });

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual("_parallel: expected true, false or {limit: N}, got 'tru'", run.Task("+lp+loop").Error, "a task's own error does not repeat its name");
    }
}
