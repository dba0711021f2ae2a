using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// What an instance list (Durable Functions Monitor on Azure, the runtime's client locally) shows
/// of an attempt: its custom status names the session, and its chunks are listed under its id.
/// </summary>
[TestClass]
public sealed class InstanceListingTests
{
    [TestMethod]
    public async Task An_attempt_and_its_chunks_name_their_session_and_are_listed_under_the_attempt_id()
    {
        await using var project = await WorkflowProject.StartAsync(new WorkflowEngineOptions { MaxChildrenPerOrchestration = 2 });
        project.Write("big.dig", "+g:\n" + string.Concat(Enumerable.Range(1, 5).Select(i => $"  +u{i}:\n    echo>: u{i}\n")));

        var run = await project.RunAsync("big");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var client = project.Engine!.Client;
        var attempt = await client.GetInstanceAsync(run.AttemptId, getInputsAndOutputs: true);
        var status = attempt!.ReadCustomStatusAs<AttemptCustomStatus>();
        Assert.IsNull(SubOrchestrationIds.ParentOf(run.AttemptId), "an attempt is a top-level instance");
        Assert.AreEqual(new AttemptCustomStatus("project", "big", WorkflowProject.SessionTime, run.AttemptId), status);

        var page = await client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = SubOrchestrationIds.ChunkPrefix(run.AttemptId), FetchInputsAndOutputs = true });
        Assert.IsNotEmpty(page.Instances, "the chunks of +g are listed under the attempt's id");
        foreach (var chunk in page.Instances)
        {
            // Chunks split further nest: every parent is the attempt or one of its chunks.
            Assert.StartsWith(run.AttemptId, chunk.ParentInstanceId!);

            // Hosts whose instance list does not record parents (Durable Functions) read them from the id.
            Assert.AreEqual(chunk.ParentInstanceId, SubOrchestrationIds.ParentOf(chunk.InstanceId));
            var chunkStatus = chunk.ReadCustomStatusAs<AttemptCustomStatus>();
            Assert.AreEqual(run.AttemptId, chunkStatus!.AttemptId);
            Assert.AreEqual("+big+g", chunkStatus.Group);
        }
    }
}
