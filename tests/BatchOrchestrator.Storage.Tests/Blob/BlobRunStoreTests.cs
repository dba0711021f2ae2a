using Azure.Storage.Blobs.Models;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Tests.Contracts;
using BatchOrchestrator.Storage.Tests.Support;
using static BatchOrchestrator.Storage.Tests.Sqlite.Records;

namespace BatchOrchestrator.Storage.Tests.Blob;

/// <summary>The run store contract on a real Azurite, each store with its own client as separate hosts would have.</summary>
[TestClass]
public sealed class BlobRunStoreTests : RunStoreContractTests
{
    private readonly string _containerName = Azurite.NewContainer().Name;

    protected override Task<IRunStore> OpenCoreAsync() => Task.FromResult<IRunStore>(new BlobRunStore(Azurite.Container(_containerName), "runs"));

    [TestMethod]
    public async Task AnAttemptAndItsTasksAreReadableJsonUnderThePrefix()
    {
        var store = await OpenAsync();
        var attempt = Attempt(Session());

        await store.UpsertAttemptAsync(attempt, Ct);
        await store.UpsertTaskAsync(TaskRow(attempt.AttemptId, "+wf+load", TaskState.Success), Ct);

        var names = new List<string>();
        await foreach (var item in Azurite.Container(_containerName).GetBlobsAsync(BlobTraits.None, BlobStates.None, null, Ct))
        {
            names.Add(item.Name);
        }

        var escapedAttempt = Uri.EscapeDataString(attempt.AttemptId);
        CollectionAssert.Contains(names, $"runs/sessions/{Uri.EscapeDataString(attempt.SessionId)}.json");
        CollectionAssert.Contains(names, $"runs/attempts/{escapedAttempt}");
        var tasks = (await Azurite.Container(_containerName).GetBlobClient($"runs/tasks/{escapedAttempt}.json").DownloadContentAsync(Ct)).Value.Content.ToString();
        StringAssert.Contains(tasks, "\"state\":\"Success\"");
        Assert.HasCount(3, names.Where(n => n.StartsWith("runs/list/", StringComparison.Ordinal)).ToList());
    }

    [TestMethod]
    public async Task AStoreOnAContainerThatDoesNotExistYetReadsNothing()
    {
        var store = await OpenAsync();

        Assert.IsEmpty((await store.ListSessionsAsync(new SessionQuery(), Ct)).Items);
        Assert.IsNull(await store.GetAttemptAsync("bo:none", Ct));
        Assert.IsEmpty(await store.GetTasksAsync("bo:none", Ct));
    }
}
