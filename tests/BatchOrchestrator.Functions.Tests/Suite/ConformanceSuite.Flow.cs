using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>Order and concurrency: _parallel with a limit, _after, _background.</summary>
public abstract partial class ConformanceSuite
{
    [TestMethod]
    public async Task Parallel_limit_runs_at_most_two_children_at_once_and_two_whenever_two_can_run()
    {
        await using var scenario = await ScenarioAsync("parallel");

        var run = await scenario.RunAsync("limit");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEquivalent(
            new[] { "+limit Success 1", "+limit+fan Success 1" }.Concat(Enumerable.Range(0, 6).Select(i => $"+limit+fan+t{i} Success 1")).ToArray(),
            run.States.ToArray(),
            run.Describe());
        var log = scenario.Lines("log.txt");
        Assert.HasCount(12, log, string.Join('\n', log));
        Assert.AreEqual(2, MaxConcurrent(log), string.Join('\n', log));
    }

    [TestMethod]
    public async Task Parallel_limit_is_a_sliding_window()
    {
        await using var scenario = await ScenarioAsync("parallel");

        var run = await scenario.RunAsync("sliding");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        var log = scenario.Lines("log.txt").ToList();
        Assert.IsLessThan(log.IndexOf("end long"), log.IndexOf("start third"), "+third starts while +long runs: " + string.Join(", ", log));
        Assert.IsLessThanOrEqualTo(2, MaxConcurrent(log), string.Join(", ", log));
        Assert.AreEqual(TaskState.Success, run.Task("+sliding+window+long").State);
    }

    [TestMethod]
    public async Task After_orders_children_of_a_parallel_group()
    {
        await using var scenario = await ScenarioAsync("background_after");

        var run = await scenario.RunAsync("after");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEqual(new[] { "fast", "slow", "last" }, scenario.Lines("out.txt"));
        CollectionAssert.AreEquivalent(
            new[] { "+after Success 1", "+after+g Success 1", "+after+g+slow Success 1", "+after+g+fast Success 1", "+after+g+last Success 1" },
            run.States.ToArray(),
            run.Describe());
    }

    [TestMethod]
    public async Task A_background_task_runs_beside_the_one_before_it_and_the_next_waits_for_both()
    {
        await using var scenario = await ScenarioAsync("background_after");

        var run = await scenario.RunAsync("background");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEqual(new[] { "background", "saw_background", "following" }, scenario.Lines("out.txt"));
        CollectionAssert.AreEquivalent(
            new[] { "+background Success 1", "+background+forward Success 1", "+background+background Success 1", "+background+following Success 1" },
            run.States.ToArray(),
            run.Describe());
    }

    /// <summary>Most children between their "start" and "end" lines at the same time.</summary>
    private static int MaxConcurrent(IEnumerable<string> log)
    {
        int running = 0, max = 0;
        foreach (var line in log)
        {
            running += line.StartsWith("start", StringComparison.Ordinal) ? 1 : -1;
            max = Math.Max(max, running);
        }

        return max;
    }
}
