using System.Text.Json;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IParamStore"/> guarantees (<c>param_set&gt;</c>/<c>param_get&gt;</c>), run
/// against each store (SQLite locally, Blob storage on Azure) so workflows behave the same on both.
/// </summary>
public abstract class ParamStoreContractTests : StoreContractTests<IParamStore>
{
    [TestMethod]
    public async Task ValuesRoundTripAsJsonAndSurviveReopening()
    {
        var store = await OpenAsync();
        await store.SetAsync("p", Values("""{"text": "a b", "number": 42, "object": {"x": [1, true, null]}}"""), Ct);

        var reopened = await OpenAsync();
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
        var store = await OpenAsync();

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
        var store = await OpenAsync();

        await store.SetAsync("a", Values("""{"k": "from a"}"""), Ct);
        await store.SetAsync("b", Values("""{"k": "from b"}"""), Ct);

        Assert.AreEqual("from a", (await store.GetAsync("a", ["k"], Ct))["k"].GetString());
        Assert.AreEqual("from b", (await store.GetAsync("b", ["k"], Ct))["k"].GetString());
        Assert.IsEmpty(await store.GetAsync("c", ["k"], Ct));
    }

    [TestMethod]
    public async Task ConcurrentSetsAndGetsAllComplete()
    {
        var store = await OpenAsync();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.SetAsync("p", Values($$"""{"k{{i}}": {{i}}}"""), Ct)));
        var found = await store.GetAsync("p", [.. Enumerable.Range(0, 20).Select(i => $"k{i}")], Ct);

        Assert.HasCount(20, found);
        Assert.AreEqual(7, found["k7"].GetInt32());
    }

    [TestMethod]
    public async Task SetsFromTwoStoresOnOnePlaceAllLand()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? first : second).SetAsync("p", Values($$"""{"k{{i}}": {{i}}}"""), Ct)));

        Assert.HasCount(10, await first.GetAsync("p", [.. Enumerable.Range(0, 10).Select(i => $"k{i}")], Ct));
    }

    protected static Dictionary<string, JsonElement> Values(string json) =>
        JsonElement.Parse(json).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
}
