using System.Text.Json;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;
using BatchOrchestrator.Storage.Tests.Contracts;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

/// <summary>
/// The param store a host gets (<see cref="SqliteParamStore.OnFirstUse"/>): the same contract as
/// one opened at once, and no file at all for runs that never read or write a param.
/// </summary>
[TestClass]
public sealed class SqliteParamStoreOnFirstUseTests : ParamStoreContractTests
{
    private readonly TempFolder _folder = new();

    protected override Task<IParamStore> OpenCoreAsync() => Task.FromResult<IParamStore>(SqliteParamStore.OnFirstUse(_folder.File("params.db")));

    protected override void DeletePlace() => _folder.Dispose();

    [TestMethod]
    public async Task The_file_is_created_by_the_first_write_and_not_before()
    {
        var path = _folder.File("params.db");
        await using (var unused = SqliteParamStore.OnFirstUse(path))
        {
        }

        Assert.IsFalse(File.Exists(path), "a store nothing used leaves no file behind");

        await using (var store = SqliteParamStore.OnFirstUse(path))
        {
            await store.SetAsync("p", new Dictionary<string, JsonElement> { ["k"] = JsonElement.Parse("\"v\"") }, Ct);
        }

        Assert.IsTrue(File.Exists(path));
        await using var reopened = await SqliteParamStore.OpenAsync(path, Ct);
        Assert.AreEqual("v", (await reopened.GetAsync("p", ["k"], Ct))["k"].GetString());
    }
}
