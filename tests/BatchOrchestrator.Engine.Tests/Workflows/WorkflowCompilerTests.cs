using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// The compiler's plan cache: the same files get the same plan, and a long-lived host that compiles
/// many workflows or revisions keeps a bounded number of plans, not every one it ever compiled.
/// </summary>
[TestClass]
public sealed class WorkflowCompilerTests
{
    private static readonly BatchOrchestrator.Engine.Operators.OperatorRegistry HostOperators = BatchOrchestrator.Server.Local.LocalOperators.Create([]);

    [TestMethod]
    public async Task The_plan_cache_stays_bounded_after_more_distinct_workflows_than_it_keeps_and_a_hit_returns_the_same_plan()
    {
        var compiler = new WorkflowCompiler(new TemplateEngine(), HostOperators);
        var first = await compiler.CompileAsync(Revision(0));

        var plans = new List<LoadedWorkflow>();
        for (var revision = 1; revision <= WorkflowCompiler.MaxPlans * 3; revision++)
        {
            plans.Add(await compiler.CompileAsync(Revision(revision)));
            Assert.IsLessThanOrEqualTo(WorkflowCompiler.MaxPlans, compiler.CachedPlans, $"after {revision + 1} distinct workflows");
        }

        // The files' hash is the key, not the source object: a copy received through history hits too.
        var latest = await compiler.CompileAsync(Revision(WorkflowCompiler.MaxPlans * 3));
        Assert.AreSame(plans[^1].Plan, latest.Plan, "the latest workflow compiled again is a hit");
        Assert.AreSame(plans[^1].Definition, latest.Definition);

        // The oldest was evicted: compiled again, to the same tasks.
        var again = await compiler.CompileAsync(Revision(0));
        Assert.AreNotSame(first.Plan, again.Plan, "the first of many workflows is no longer kept");
        CollectionAssert.AreEqual(first.Plan.Tasks.Select(t => t.FullName).ToArray(), again.Plan.Tasks.Select(t => t.FullName).ToArray());
    }

    /// <summary>A workflow whose files differ from every other revision's (so its hash does).</summary>
    private static WorkflowSource Revision(int revision)
    {
        var text = $"+step:\n  echo>: revision {revision}\n";
        return new WorkflowSource { Path = "nightly.dig", Files = [new WorkflowFile("nightly.dig", text)] };
    }
}
