using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Tests.Contracts;
using BatchOrchestrator.Storage.Tests.Support;

namespace BatchOrchestrator.Storage.Tests.Blob;

/// <summary>The log store contract on append blobs in a real Azurite.</summary>
[TestClass]
public sealed class BlobLogStoreTests : LogStoreContractTests
{
    private readonly Dictionary<ILogStore, BlobContainerClient> _containers = [];

    protected override int MaxChunkBytes => BlobLogStore.MaxChunkBytes;

    protected override ILogStore NewStore()
    {
        var container = Azurite.NewContainer();
        var store = new BlobLogStore(container, "logs");
        _containers[store] = container;
        return store;
    }

    protected override ILogStore StoreOnSamePlace(ILogStore first)
    {
        // Another client, as another host would have.
        var container = BlobAccount.FromConnectionString(Azurite.ConnectionString).CreateClient().GetBlobContainerClient(_containers[first].Name);
        return new BlobLogStore(container, "logs");
    }

    protected override async Task AppendBytesAsync(ILogStore store, TaskLogKey key, byte[] bytes)
    {
        var blob = _containers[store].GetAppendBlobClient("logs/" + key.RelativePath);
        using var stream = new MemoryStream(bytes);
        await blob.AppendBlockAsync(stream, cancellationToken: Ct);
    }

    [TestMethod]
    public async Task EachTryIsOneAppendBlobAtThePredictablePath()
    {
        var store = NewStore();
        await store.AppendAsync(Key, "hello\n", Ct);

        var names = new List<string>();
        await foreach (var item in _containers[store].GetBlobsAsync(BlobTraits.None, BlobStates.None, null, Ct))
        {
            names.Add(item.Name);
            Assert.AreEqual(Azure.Storage.Blobs.Models.BlobType.Append, item.Properties.BlobType);
        }

        CollectionAssert.AreEqual(new[] { "logs/ads/daily/2024-05-01T00_00_00Z/bo_ads_daily_0/+daily+load.try1.log" }, names);
        Assert.AreEqual($"{_containers[store].Uri}/logs/ads/daily/2024-05-01T00_00_00Z/bo_ads_daily_0/%2Bdaily%2Bload.try1.log", store.Locate(Key).Replace("+", "%2B", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task ManySmallAppendsAtOnceShareBlocks()
    {
        var store = NewStore();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => store.AppendAsync(Key, $"line {i}\n", Ct)));

        var properties = await _containers[store].GetAppendBlobClient("logs/" + Key.RelativePath).GetPropertiesAsync(cancellationToken: Ct);
        Assert.IsLessThan(200, properties.Value.BlobCommittedBlockCount, "every append took a block of its own");
        Assert.HasCount(200, (await ReadToEndAsync(store, Key, 0)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [TestMethod]
    public async Task AnAppendLongerThanABlockStaysWholeBetweenOtherWritersAppends()
    {
        var store = NewStore();
        var other = StoreOnSamePlace(store);
        // 9 MiB: three blocks, written under a lease while the other store keeps appending.
        var big = "<" + new string('x', 9 * 1024 * 1024) + ">\n";

        await Task.WhenAll(
            Task.Run(async () => await store.AppendAsync(Key, big, Ct), Ct),
            Task.Run(async () => await AppendLinesAsync(other, Key, 0, 30), Ct));

        var text = await ReadToEndAsync(store, Key, 0);
        var start = text.IndexOf('<', StringComparison.Ordinal);
        Assert.AreEqual(big, text.Substring(start, big.Length), "another append landed inside the long one");
        AssertWholeLines(text.Remove(start, big.Length), writers: 1, linesEach: 30);
    }
}
