using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>An attempt split into chunk sub-orchestrations two levels deep, run as <c>bo run</c> runs it.</summary>
[TestClass]
public sealed class ChunkedAttemptTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Every_instance_id_of_a_two_level_chunked_attempt_fits_durable_functions_and_is_unique()
    {
        await using var project = await WorkflowProject.StartAsync();

        var run = await ChunkedAttempt.RunAsync(project);

        Assert.IsTrue(run.Succeeded, run.Describe());
        var instances = await ChunkedAttempt.InstancesAsync(project);
        var ids = instances.Select(i => i.InstanceId).ToList();
        TestContext.WriteLine($"{ids.Count} instances, the longest id {ids.Max(i => i.Length)} characters: {ids.MaxBy(i => i.Length)}");
        Assert.HasCount(ids.Count, ids.Distinct(StringComparer.Ordinal).ToList(), "instance ids are unique");
        foreach (var id in ids)
        {
            Assert.IsLessThanOrEqualTo(100, id.Length, id);
        }

        // 5 chunks of +seq (its sh> body, repeated per child, closes parts by size before 50 children:
        // WorkflowEngineOptions.MaxGeneratedCharsPerPart), 2 of +each, 50 of +fan, each of those split again in 2.
        var byId = instances.ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        int Depth(OrchestrationMetadata instance) => instance.ParentInstanceId is { } parent ? 1 + Depth(byId[parent]) : 0;
        Assert.AreEqual(2, instances.Max(Depth), "chunking reached two levels");
        Assert.HasCount(1 + 5 + 2 + 50 + 100, ids);

        // Every chunk is listed under its attempt, and its parent can be read from its id (Durable Functions' client has no parent field).
        var listed = await project.Engine!.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = SubOrchestrationIds.ChunkPrefix(run.AttemptId), PageSize = 500 }).ToListAsync();
        Assert.HasCount(ids.Count - 1, listed);
        foreach (var chunk in listed)
        {
            Assert.AreEqual(chunk.ParentInstanceId, SubOrchestrationIds.ParentOf(chunk.InstanceId), chunk.InstanceId);
        }

        ChunkedAttempt.AssertStoredParams(run);
    }

    [TestMethod]
    public async Task The_chunked_attempt_succeeds_with_the_same_params_twenty_times_in_a_row()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write(ChunkedAttempt.Name + ".dig", ChunkedAttempt.Workflow);

        for (var i = 0; i < 20; i++)
        {
            var run = await project.RunAsync(ChunkedAttempt.Name, sessionTime: WorkflowProject.SessionTime.AddDays(i));

            Assert.IsTrue(run.Succeeded, $"run {i + 1}: {run.Describe()}");
            ChunkedAttempt.AssertStoredParams(run);
        }
    }
}
