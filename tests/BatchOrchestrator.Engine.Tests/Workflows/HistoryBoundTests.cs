using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class HistoryBoundTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>
    /// The fixed bound: a chunk runs at most 50 children (WorkflowEngineOptions default); each child
    /// costs a handful of history events (its activity, record batches), so a few hundred events.
    /// </summary>
    private const int Bound = 1_000;

    [TestMethod]
    public async Task A_ten_thousand_iteration_loop_never_grows_one_history_past_a_fixed_bound()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("big.dig", """
            +range:
              for_range>:
                from: 0
                to: 10000
                step: 1
              _parallel: true
              _do:
                echo>: ${range.index}
            +after:
              sh>: echo done > done.txt
            """);

        var run = await project.RunAsync("big");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("done\n", project.Read("done.txt"));
        Assert.AreEqual(10_000, run.Tasks.Count(t => t.TaskName.StartsWith("+big+range^sub+range-", StringComparison.Ordinal)));

        var client = project.Engine!.Client;
        var instances = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 500 }))
        {
            instances.Add(instance);
        }

        Assert.IsGreaterThan(1, instances.Count, "the loop must be split into sub-orchestrations");
        var largest = 0;
        foreach (var instance in instances)
        {
            largest = Math.Max(largest, (await client.GetHistoryAsync(instance.InstanceId)).Count);
        }

        TestContext.WriteLine($"{instances.Count} instances; the largest history has {largest} events");
        Assert.IsLessThanOrEqualTo(Bound, largest, $"largest history among {instances.Count} instances");
    }
}
