using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;
using BatchOrchestrator.Storage.Tests.Contracts;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

[TestClass]
public sealed class SqliteParamStoreTests : ParamStoreContractTests
{
    private readonly TempFolder folder = new();

    protected override async Task<IParamStore> OpenCoreAsync() => await SqliteParamStore.OpenAsync(folder.File("params.db"), Ct);

    protected override void DeletePlace() => folder.Dispose();
}
