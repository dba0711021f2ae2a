using System.Text.Json;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

[TestClass]
public sealed class SqliteParamStoreTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    [TestMethod]
    public async Task ValuesRoundTripAsJsonAndSurviveReopening()
    {
        using var folder = new TempFolder();
        await using (var store = await SqliteParamStore.OpenAsync(folder.File("params.db"), Ct))
        {
            await store.SetAsync("p", Values("""{"text": "a b", "number": 42, "object": {"x": [1, true, null]}}"""), Ct);
        }

        await using var reopened = await SqliteParamStore.OpenAsync(folder.File("params.db"), Ct);
        var found = await reopened.GetAsync("p", ["text", "number", "object", "missing"], Ct);

        Assert.HasCount(3, found);
        Assert.AreEqual("a b", found["text"].GetString());
        Assert.AreEqual(42, found["number"].GetInt32());
        Assert.AreEqual("""{"x":[1,true,null]}""", JsonSerializer.Serialize(found["object"]));
        Assert.IsFalse(found.ContainsKey("missing"));
    }

    [TestMethod]
    public async Task SettingAgainIsIdempotentAndALaterValueReplacesAnEarlierOne()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteParamStore.OpenAsync(folder.File("params.db"), Ct);

        await store.SetAsync("p", Values("""{"k": "v1", "other": 1}"""), Ct);
        await store.SetAsync("p", Values("""{"k": "v1", "other": 1}"""), Ct);
        Assert.AreEqual("v1", (await store.GetAsync("p", ["k"], Ct))["k"].GetString());

        await store.SetAsync("p", Values("""{"k": "v2"}"""), Ct);
        var found = await store.GetAsync("p", ["k", "other"], Ct);
        Assert.AreEqual("v2", found["k"].GetString());
        Assert.AreEqual(1, found["other"].GetInt32(), "a key not in the later set keeps its value");
    }

    [TestMethod]
    public async Task ProjectsDoNotSeeEachOthersKeys()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteParamStore.OpenAsync(folder.File("params.db"), Ct);

        await store.SetAsync("a", Values("""{"k": "from a"}"""), Ct);
        await store.SetAsync("b", Values("""{"k": "from b"}"""), Ct);

        Assert.AreEqual("from a", (await store.GetAsync("a", ["k"], Ct))["k"].GetString());
        Assert.AreEqual("from b", (await store.GetAsync("b", ["k"], Ct))["k"].GetString());
        Assert.IsEmpty(await store.GetAsync("c", ["k"], Ct));
    }

    [TestMethod]
    public async Task ConcurrentSetsAndGetsAllComplete()
    {
        using var folder = new TempFolder();
        await using var store = await SqliteParamStore.OpenAsync(folder.File("params.db"), Ct);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.SetAsync("p", Values($$"""{"k{{i}}": {{i}}}"""), Ct)));
        var found = await store.GetAsync("p", [.. Enumerable.Range(0, 20).Select(i => $"k{i}")], Ct);

        Assert.HasCount(20, found);
        Assert.AreEqual(7, found["k7"].GetInt32());
    }

    private static Dictionary<string, JsonElement> Values(string json) =>
        JsonElement.Parse(json).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
}
