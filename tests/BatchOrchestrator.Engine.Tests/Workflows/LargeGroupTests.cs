using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>A group of the workflow's own plan larger than one orchestration's share runs all its children, in order.</summary>
[TestClass]
public sealed class LargeGroupTests
{
    [TestMethod]
    public async Task A_sequential_group_split_into_parts_runs_every_child_in_order()
    {
        await using var project = await WorkflowProject.StartAsync(new WorkflowEngineOptions { MaxChildrenPerOrchestration = 3 });
        project.Write("chain.dig", string.Concat(Enumerable.Range(1, 8).Select(i => $"+t{i}:\n  sh>: echo {i} >> out.txt\n")) +
            "+g:\n" + string.Concat(Enumerable.Range(1, 7).Select(i => $"  +u{i}:\n    sh>: echo u{i} >> out.txt\n")));

        var run = await project.RunAsync("chain");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var expected = Enumerable.Range(1, 8).Select(i => $"{i}").Concat(Enumerable.Range(1, 7).Select(i => $"u{i}"));
        CollectionAssert.AreEqual(expected.ToList(), project.Read("out.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
