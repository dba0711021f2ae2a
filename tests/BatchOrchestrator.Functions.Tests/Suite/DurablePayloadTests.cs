using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Functions.Tests.Harness;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>
/// Orchestration and activity payloads on the Durable Task worker, as the app's serializer writes
/// them: Azure Storage queue messages hold 64 KB, and Durable Functions moves a larger payload
/// through a blob on every call, so every one stays under 16 KB — for the main job and for the
/// workflow of a 3,000-task loop. (The embedded runtime's payloads are checked from its history
/// in tests/BatchOrchestrator.Engine.Tests, PayloadBoundTests.)
/// </summary>
[TestClass]
public sealed class DurablePayloadTests
{
    private const int Limit = 16 * 1024;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task No_payload_of_the_main_job_reaches_16_KB_on_the_durable_task_worker()
    {
        await using var scenario = await Scenario.StartShippedAsync((root, token) => StartAsync(root, token));

        var run = await scenario.RunAsync("ad_report");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        AssertSmall(scenario);
    }

    [TestMethod]
    public async Task No_payload_of_a_workflow_with_a_3000_task_loop_reaches_16_KB_on_the_durable_task_worker()
    {
        await using var scenario = await Scenario.StartAsync("repro", (root, token) => StartAsync(root, token));

        var run = await scenario.RunAsync("repro");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        AssertSmall(scenario);
    }

    private static async Task<IConformanceRuntime> StartAsync(string root, CancellationToken token) =>
        await DurableTaskRuntime.StartAsync(root, new RuntimeSettings(), token);

    private void AssertSmall(Scenario scenario)
    {
        var (bytes, type) = ((DurableTaskRuntime)scenario.Runtime).Converter.Largest;
        TestContext.WriteLine($"the largest payload is {bytes} bytes, a {type}");
        Assert.IsGreaterThan(0, bytes, "the converter saw the run's payloads");
        Assert.IsLessThan(Limit, bytes, $"the largest payload, a {type}");
    }
}
