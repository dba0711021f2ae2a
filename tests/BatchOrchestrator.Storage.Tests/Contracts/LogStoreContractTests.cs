using System.Text;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="ILogStore"/> guarantees, run against each store (files, Blob storage)
/// so <c>bo log</c> and <c>bo log -f</c> behave the same whichever keeps the logs.
/// </summary>
public abstract class LogStoreContractTests
{
    protected static readonly TaskLogKey Key = new("ads", "daily", "2024-05-01T00:00:00Z", "bo:ads:daily:0", "+daily+load", 1);

    public TestContext TestContext { get; set; } = null!;

    protected CancellationToken Ct => TestContext.CancellationToken;

    /// <summary>A store over a fresh, empty place (folder, container) of this test.</summary>
    protected abstract ILogStore NewStore();

    /// <summary>Another store instance over the same place as <paramref name="first"/> (another writer or host).</summary>
    protected abstract ILogStore StoreOnSamePlace(ILogStore first);

    /// <summary>Writes raw bytes at the end of a log, as a writer caught mid-character would.</summary>
    protected abstract Task AppendBytesAsync(ILogStore store, TaskLogKey key, byte[] bytes);

    /// <summary>The largest chunk one read returns.</summary>
    protected abstract int MaxChunkBytes { get; }

    [TestMethod]
    public async Task AppendedTextReadsBackWithItsByteLengthAsNextOffset()
    {
        var store = NewStore();

        await store.AppendAsync(Key, "héllo ", Ct);
        await store.AppendAsync(Key, "wörld\n", Ct);

        var chunk = await store.ReadAsync(Key, 0, Ct);
        Assert.AreEqual("héllo wörld\n", chunk.Text);
        Assert.AreEqual(Encoding.UTF8.GetByteCount("héllo wörld\n"), chunk.NextOffset);
    }

    [TestMethod]
    public async Task FollowingFromTheNextOffsetReturnsOnlyNewText()
    {
        var store = NewStore();
        await store.AppendAsync(Key, "line 1\n", Ct);
        var first = await store.ReadAsync(Key, 0, Ct);

        var nothingNew = await store.ReadAsync(Key, first.NextOffset, Ct);
        await store.AppendAsync(Key, "line 2 ✓\n", Ct);
        var second = await store.ReadAsync(Key, first.NextOffset, Ct);

        Assert.AreEqual(new LogChunk("", first.NextOffset), nothingNew);
        Assert.AreEqual("line 2 ✓\n", second.Text);
        Assert.AreEqual(Encoding.UTF8.GetByteCount("line 1\nline 2 ✓\n"), second.NextOffset);
    }

    [TestMethod]
    public async Task AMissingLogReadsEmpty()
    {
        var store = NewStore();

        Assert.AreEqual(new LogChunk("", 7), await store.ReadAsync(Key, 7, Ct));
    }

    [TestMethod]
    public async Task ACharacterSplitAtTheEndIsLeftForTheNextRead()
    {
        var store = NewStore();
        var euro = Encoding.UTF8.GetBytes("€"); // three bytes
        await store.AppendAsync(Key, "price: ", Ct);
        // A writer in the middle of a character: only its first byte is stored yet.
        await AppendBytesAsync(store, Key, euro[..1]);

        var before = await store.ReadAsync(Key, 0, Ct);
        await AppendBytesAsync(store, Key, euro[1..]);
        var after = await store.ReadAsync(Key, before.NextOffset, Ct);

        Assert.AreEqual("price: ", before.Text);
        Assert.AreEqual(7, before.NextOffset);
        Assert.AreEqual("€", after.Text);
        Assert.AreEqual(10, after.NextOffset);
    }

    [TestMethod]
    public async Task ALongLogIsReadInChunksThatNeverSplitACharacter()
    {
        var store = NewStore();
        // One or two ASCII bytes first, so the chunk limit falls inside a three-byte character.
        var prefix = (MaxChunkBytes - 1) % 3 != 0 ? "x" : "xy";
        var text = prefix + new string('€', MaxChunkBytes / 3 + 10);
        await store.AppendAsync(Key, text, Ct);

        var first = await store.ReadAsync(Key, 0, Ct);
        var rest = await ReadToEndAsync(store, Key, first.NextOffset);

        Assert.AreEqual(prefix.Length + ((MaxChunkBytes - prefix.Length) / 3 * 3), first.NextOffset);
        Assert.IsLessThan(MaxChunkBytes, first.NextOffset, "the chunk ends before the character it would split");
        Assert.IsFalse(first.Text.Contains('\uFFFD'));
        Assert.AreEqual(text, first.Text + rest);
    }

    [TestMethod]
    public async Task ConcurrentAppendsToOneLogNeverInterleave()
    {
        var store = NewStore();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer =>
            Task.Run(async () => await AppendLinesAsync(store, Key, writer, 50), Ct)));

        AssertWholeLines(await ReadToEndAsync(store, Key, 0), writers: 8, linesEach: 50);
    }

    [TestMethod]
    public async Task TwoStoresAppendingToOneLogNeverInterleave()
    {
        var first = NewStore();
        var second = StoreOnSamePlace(first);

        await Task.WhenAll(
            Task.Run(async () => await AppendLinesAsync(first, Key, 0, 100), Ct),
            Task.Run(async () => await AppendLinesAsync(second, Key, 1, 100), Ct));

        AssertWholeLines(await ReadToEndAsync(first, Key, 0), writers: 2, linesEach: 100);
    }

    [TestMethod]
    public async Task ConcurrentAppendsToDifferentLogsStayInTheirOwnLog()
    {
        var store = NewStore();
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
        var store = NewStore();
        await store.AppendAsync(Key, "kept\n", Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => store.AppendAsync(Key, "dropped\n", cancelled.Token));

        Assert.AreEqual("kept\n", await ReadToEndAsync(store, Key, 0));
    }

    [TestMethod]
    public async Task EachTryHasItsOwnLog()
    {
        var store = NewStore();

        await store.AppendAsync(Key, "first try\n", Ct);
        await store.AppendAsync(Key with { Try = 2 }, "second try\n", Ct);

        Assert.AreEqual("first try\n", await ReadToEndAsync(store, Key, 0));
        Assert.AreEqual("second try\n", await ReadToEndAsync(store, Key with { Try = 2 }, 0));
        Assert.AreNotEqual(store.Locate(Key), store.Locate(Key with { Try = 2 }));
    }

    protected static string Line(int writer, int index) => $"w{writer}:{index:D4}:{new string((char)('a' + writer), 300)}é\n";

    protected async Task AppendLinesAsync(ILogStore store, TaskLogKey key, int writer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await store.AppendAsync(key, Line(writer, i), Ct);
        }
    }

    protected static void AssertWholeLines(string text, int writers, int linesEach)
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

    protected async Task<string> ReadToEndAsync(ILogStore store, TaskLogKey key, long offset)
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
}
