using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.Tests.Contracts;

namespace BatchOrchestrator.Storage.Tests.Files;

[TestClass]
public sealed class FileLogStoreTests : LogStoreContractTests
{
    private readonly List<TempFolder> _folders = [];
    private readonly Dictionary<ILogStore, string> _roots = [];

    protected override int MaxChunkBytes => FileLogStore.MaxChunkBytes;

    protected override ILogStore NewStore()
    {
        var folder = new TempFolder();
        _folders.Add(folder);
        var store = new FileLogStore(folder.Path);
        _roots[store] = folder.Path;
        return store;
    }

    protected override ILogStore StoreOnSamePlace(ILogStore first) => new FileLogStore(_roots[first]);

    protected override async Task AppendBytesAsync(ILogStore store, TaskLogKey key, byte[] bytes)
    {
        await using var file = new FileStream(store.Locate(key), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await file.WriteAsync(bytes, Ct);
    }

    [TestCleanup]
    public void DeleteFolders() => _folders.ForEach(f => f.Dispose());

    [TestMethod]
    public void LocateGivesTheFileUnderTheRootAtTheKeysRelativePath()
    {
        using var folder = new TempFolder();
        var store = new FileLogStore(folder.Path);

        var path = store.Locate(Key);

        Assert.AreEqual(Path.Combine(folder.Path, "ads", "daily", "2024-05-01T00_00_00Z", "bo_ads_daily_0", "+daily+load.try1.log"), path);
    }
}
