using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Functions.Tests.Harness;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>
/// The conformance suite: each scenario is a workflow folder under <c>Scenarios/</c> and one test
/// body, run on both runtimes by the two test classes below, with the same expected outcomes
/// written out explicitly (states, tries, params, output files, errors). Where the Durable Task
/// test host lacks something, the test says so and checks that part on the embedded runtime only.
/// </summary>
public abstract partial class ConformanceSuite
{
    public TestContext TestContext { get; set; } = null!;

    private protected abstract Task<IConformanceRuntime> StartRuntimeAsync(string root, RuntimeSettings settings, CancellationToken cancellationToken);

    private protected Task<Scenario> ScenarioAsync(string name, RuntimeSettings? settings = null) =>
        Scenario.StartAsync(name, (root, token) => StartRuntimeAsync(root, settings ?? new RuntimeSettings(), token));

    [TestMethod]
    public async Task Sequence_runs_tasks_and_groups_in_order_once_each()
    {
        await using var scenario = await ScenarioAsync("sequence");

        var run = await scenario.RunAsync("sequence");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        Assert.IsTrue(run.Outcome!.Succeeded, run.Describe());
        CollectionAssert.AreEqual(
            new[]
            {
                "first hello 2026-11-21",
                "inner +sequence+group+inner",
                "second_inner sequence",
                "last sequence",
            },
            scenario.Lines("out.txt"));
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+sequence Success 1",
                "+sequence+first Success 1",
                "+sequence+say Success 1",
                "+sequence+group Success 1",
                "+sequence+group+inner Success 1",
                "+sequence+group+second_inner Success 1",
                "+sequence+last Success 1",
            },
            run.States.ToArray(),
            run.Describe());
        Assert.AreEqual("said hello\n", await scenario.LogAsync(run, "+sequence+say"));
    }
}

[TestClass]
public sealed class EmbeddedConformance : ConformanceSuite
{
    private protected override async Task<IConformanceRuntime> StartRuntimeAsync(string root, RuntimeSettings settings, CancellationToken cancellationToken) =>
        await EmbeddedRuntime.StartAsync(root, settings, cancellationToken);
}

[TestClass]
public sealed class DurableTaskConformance : ConformanceSuite
{
    private protected override async Task<IConformanceRuntime> StartRuntimeAsync(string root, RuntimeSettings settings, CancellationToken cancellationToken) =>
        await DurableTaskRuntime.StartAsync(root, settings, cancellationToken);
}
