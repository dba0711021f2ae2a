using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Tests.Contracts;
using BatchOrchestrator.Storage.Tests.Support;

namespace BatchOrchestrator.Storage.Tests.Blob;

/// <summary>The param store contract on a real Azurite.</summary>
[TestClass]
public sealed class BlobParamStoreTests : ParamStoreContractTests
{
    private readonly string _containerName = Azurite.NewContainer().Name;

    /// <summary>Each store gets its own client, as separate hosts would.</summary>
    protected override Task<IParamStore> OpenCoreAsync() =>
        Task.FromResult<IParamStore>(new BlobParamStore(Azurite.Container(_containerName), "params"));

    [TestMethod]
    public async Task AProjectsParamsAreOneJsonBlobUnderThePrefix()
    {
        var store = await OpenCoreAsync();

        await store.SetAsync("ads team", Values("""{"last_run": "2026-11-21"}"""), Ct);

        var blob = Azurite.Container(_containerName).GetBlobClient("params/ads%20team.json");
        var content = (await blob.DownloadContentAsync(Ct)).Value;
        Assert.AreEqual("""{"last_run":"2026-11-21"}""", content.Content.ToString());
        Assert.AreEqual("application/json", content.Details.ContentType);
    }
}
