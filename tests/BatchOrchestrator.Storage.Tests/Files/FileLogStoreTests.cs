using System.Text;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Storage.Tests.Files;

[TestClass]
public sealed class FileLogStoreTests
{
    private static readonly TaskLogKey Key = new("ads", "daily", "2024-05-01T00:00:00Z", "bo:ads:daily:0", "+daily+load", 1);

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    [TestMethod]
    public async Task AppendedTextReadsBackWithItsByteLengthAsNextOffset()
    {
        using var folder = new TempFolder();
        var store = new FileLogStore(folder.Path);

        await store.AppendAsync(Key, "héllo ", Ct);
        await store.AppendAsync(Key, "wörld\n", Ct);

        var chunk = await store.ReadAsync(Key, 0, Ct);
        Assert.AreEqual("héllo wörld\n", chunk.Text);
        Assert.AreEqual(Encoding.UTF8.GetByteCount("héllo wörld\n"), chunk.NextOffset);
    }

    [TestMethod]
    public async Task FollowingFromTheNextOffsetReturnsOnlyNewText()
    {
        using var folder = new TempFolder();
        var store = new FileLogStore(folder.Path);
        await store.AppendAsync(Key, "line 1\n", Ct);
        var first = await store.ReadAsync(Key, 0, Ct);

        var nothingNew = await store.ReadAsync(Key, first.NextOffset, Ct);
        await store.AppendAsync(Key, "line 2 ✓\n", Ct);
        var second = await store.ReadAsync(Key, first.NextOffset, Ct);

        Assert.AreEqual(new LogChunk("", first.NextOffset), nothingNew);
        Assert.AreEqual("line 2 ✓\n", second.Text);
        Assert.AreEqual(new FileInfo(store.Locate(Key)).Length, second.NextOffset);
    }

    [TestMethod]
    public async Task AMissingLogReadsEmpty()
    {
        using var folder = new TempFolder();
        var store = new FileLogStore(folder.Path);

        Assert.AreEqual(new LogChunk("", 7), await store.ReadAsync(Key, 7, Ct));
    }

    [TestMethod]
    public void LocateGivesTheFileUnderTheRootAtTheKeysRelativePath()
    {
        using var folder = new TempFolder();
        var store = new FileLogStore(folder.Path);

        var path = store.Locate(Key);

        Assert.AreEqual(Path.Combine(folder.Path, "ads", "daily", "2024-05-01T00_00_00Z", "bo_ads_daily_0", "+daily+load.try1.log"), path);
    }

    [TestMethod]
    public async Task ACharacterSplitAtTheEndIsLeftForTheNextRead()
    {
        using var folder = new TempFolder();
        var store = new FileLogStore(folder.Path);
        var euro = Encoding.UTF8.GetBytes("€"); // three bytes
        await store.AppendAsync(Key, "price: ", Ct);
        // A writer in the middle of a character: only its first byte is in the file yet.
        await AppendBytesAsync(store.Locate(Key), euro[..1]);

        var before = await store.ReadAsync(Key, 0, Ct);
        await AppendBytesAsync(store.Locate(Key), euro[1..]);
        var after = await store.ReadAsync(Key, before.NextOffset, Ct);

        Assert.AreEqual("price: ", before.Text);
        Assert.AreEqual(7, before.NextOffset);
        Assert.AreEqual("€", after.Text);
        Assert.AreEqual(10, after.NextOffset);
    }

    [TestMethod]
    public async Task ALongLogIsReadInChunksThatNeverSplitACharacter()
    {
        using var folder = new TempFolder();
        var store = new FileLogStore(folder.Path);
        // Two ASCII bytes first, so the 1 MiB chunk limit falls inside a three-byte character.
        var text = "xy" + new string('€', FileLogStore.MaxChunkBytes / 3 + 10);
        await store.AppendAsync(Key, text, Ct);

        var first = await store.ReadAsync(Key, 0, Ct);
        var rest = await ReadToEndAsync(store, Key, first.NextOffset);

        Assert.AreEqual(FileLogStore.MaxChunkBytes - 2, first.NextOffset);
        Assert.IsFalse(first.Text.Contains('\uFFFD'));
        Assert.AreEqual(text, first.Text + rest);
    }

    [TestMethod]
    public async Task ConcurrentAppendsToOneLogNeverInterleave()
    {
        using var folder = new TempFolder();
        var store = new FileLogStore(folder.Path);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer =>
            Task.Run(async () => await AppendLinesAsync(store, Key, writer, 50), Ct)));

        AssertWholeLines(await ReadToEndAsync(store, Key, 0), writers: 8, linesEach: 50);
    }

    [TestMethod]
    public async Task TwoStoresAppendingToOneLogNeverInterleave()
    {
        using var folder = new TempFolder();
        var first = new FileLogStore(folder.Path);
        var second = new FileLogStore(folder.Path);

        await Task.WhenAll(
            Task.Run(async () => await AppendLinesAsync(first, Key, 0, 100), Ct),
            Task.Run(async () => await AppendLinesAsync(second, Key, 1, 100), Ct));

        AssertWholeLines(await ReadToEndAsync(first, Key, 0), writers: 2, linesEach: 100);
    }

    [TestMethod]
    public async Task ConcurrentAppendsToDifferentLogsStayInTheirOwnLog()
    {
        using var folder = new TempFolder();
        var store = new FileLogStore(folder.Path);
        var keys = Enumerable.Range(0, 6).Select(i => Key with { TaskName = $"+daily+t{i}" }).ToList();

        await Task.WhenAll(keys.Select((key, i) => Task.Run(async () => await AppendLinesAsync(store, key, i, 40), Ct)));

        for (var i = 0; i < keys.Count; i++)
        {
            Assert.AreEqual(string.Concat(Enumerable.Range(0, 40).Select(n => Line(i, n))), await ReadToEndAsync(store, keys[i], 0));
        }
    }

    [TestMethod]
    public async Task ACancelledAppendLeavesTheLogUnchanged()
    {
        using var folder = new TempFolder();
        var store = new FileLogStore(folder.Path);
        await store.AppendAsync(Key, "kept\n", Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => store.AppendAsync(Key, "dropped\n", cancelled.Token));

        Assert.AreEqual("kept\n", await ReadToEndAsync(store, Key, 0));
    }

    private static string Line(int writer, int index) => $"w{writer}:{index:D4}:{new string((char)('a' + writer), 300)}é\n";

    private async Task AppendLinesAsync(FileLogStore store, TaskLogKey key, int writer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await store.AppendAsync(key, Line(writer, i), Ct);
        }
    }

    private static void AssertWholeLines(string text, int writers, int linesEach)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line + "\n").ToList();
        Assert.HasCount(writers * linesEach, lines);
        var expected = Enumerable.Range(0, writers).SelectMany(w => Enumerable.Range(0, linesEach).Select(i => Line(w, i))).ToHashSet();
        Assert.IsTrue(lines.All(expected.Contains), "an append was interleaved with another");
        // Each writer's own lines stay in its order.
        for (var w = 0; w < writers; w++)
        {
            var prefix = $"w{w}:";
            CollectionAssert.AreEqual(
                Enumerable.Range(0, linesEach).Select(i => Line(w, i)).ToList(),
                lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).ToList());
        }
    }

    private async Task<string> ReadToEndAsync(FileLogStore store, TaskLogKey key, long offset)
    {
        var text = new StringBuilder();
        while (true)
        {
            var chunk = await store.ReadAsync(key, offset, Ct);
            if (chunk.Text.Length == 0)
            {
                return text.ToString();
            }

            text.Append(chunk.Text);
            offset = chunk.NextOffset;
        }
    }

    private async Task AppendBytesAsync(string path, byte[] bytes)
    {
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await file.WriteAsync(bytes, Ct);
    }
}
