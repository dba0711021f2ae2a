using System.Text;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Projects;

namespace BatchOrchestrator.Language.Tests.Compilation;

/// <summary>Which siblings a compiled task waits for: the order Digdag runs a group's children in.</summary>
[TestClass]
public sealed class SiblingEdgeTests
{
    private const string Workflow = """
        +seq:
          +a:
            echo>: a
          +b:
            _background: true
            echo>: b
          +c:
            echo>: c
        +par:
          _parallel: true
          +x:
            echo>: x
          +y:
            _after: +x
            echo>: y
          +z:
            _after: [+x, +y]
            echo>: z
        """;

    [TestMethod]
    public async Task Sequential_background_and_after_edges_are_compiled_as_Digdag_runs_them()
    {
        var result = await new WorkflowLoader(TestSupport.HostOperators.Catalog).LoadTextAsync("wf.dig", Workflow, CancellationToken.None);
        var (_, plan) = result.EnsureValid();

        Assert.AreEqual(string.Empty, Upstreams(plan, "+wf+seq"));
        Assert.AreEqual("+wf+seq", Upstreams(plan, "+wf+par"));
        Assert.AreEqual(string.Empty, Upstreams(plan, "+wf+seq+a"));
        Assert.AreEqual(string.Empty, Upstreams(plan, "+wf+seq+b"), "a background task waits only for what the task before it waited for");
        Assert.AreEqual("+wf+seq+a,+wf+seq+b", Upstreams(plan, "+wf+seq+c"), "the next task waits for the background one too");
        Assert.AreEqual(string.Empty, Upstreams(plan, "+wf+par+x"));
        Assert.AreEqual("+wf+par+x", Upstreams(plan, "+wf+par+y"));
        Assert.AreEqual("+wf+par+x,+wf+par+y", Upstreams(plan, "+wf+par+z"));
        Assert.AreEqual("+wf+par+x,+wf+par+y", string.Join(',', plan.Find("+wf+par+z")!.AfterIndexes.Select(i => plan[i].FullName)));
    }

    [TestMethod]
    public async Task Many_background_tasks_after_a_wide_frontier_compile_in_linear_time_and_memory()
    {
        // +a, 20,000 background tasks, +c, 20,000 more background tasks: each of the second run
        // waits for the 20,001 tasks +c waits for. Stored as copies that was 4·10⁸ edges (5 GB, 30 s).
        const int Run = 20_000;
        var text = new StringBuilder("+g:\n  +a:\n    echo>: a\n");
        AppendBackground(text, "b", Run);
        text.Append("  +c:\n    echo>: c\n");
        AppendBackground(text, "d", Run);
        var result = await new WorkflowLoader(TestSupport.HostOperators.Catalog).LoadTextAsync("wf.dig", text.ToString(), CancellationToken.None);

        var (_, plan) = result.EnsureValid();
        Assert.HasCount(Run + 1, plan.Find("+wf+g+c")!.UpstreamIndexes);
        Assert.HasCount(Run + 1, plan.Find("+wf+g+d19999")!.UpstreamIndexes);
        Assert.AreEqual("+wf+g+a", plan[plan.Find("+wf+g+d0")!.UpstreamIndexes[0]].FullName);

        // Linear memory: the second run's tasks share one list of their 20,001 upstreams instead of a copy each.
        Assert.AreSame(plan.Find("+wf+g+d0")!.UpstreamIndexes, plan.Find("+wf+g+d19999")!.UpstreamIndexes);
    }

    private static void AppendBackground(StringBuilder text, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            text.Append($"  +{prefix}{i}:\n    _background: true\n    echo>: x\n");
        }
    }

    private static string Upstreams(TaskPlan plan, string fullName) =>
        string.Join(',', plan.Find(fullName)!.UpstreamIndexes.Select(i => plan[i].FullName));
}
