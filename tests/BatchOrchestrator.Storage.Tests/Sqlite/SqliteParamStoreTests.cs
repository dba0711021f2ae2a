using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;
using BatchOrchestrator.Storage.Tests.Contracts;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

[TestClass]
public sealed class SqliteParamStoreTests : ParamStoreContractTests
{
    private readonly TempFolder _folder = new();

    protected override async Task<IParamStore> OpenCoreAsync() => await SqliteParamStore.OpenAsync(_folder.File("params.db"), Ct);

    protected override void DeletePlace() => _folder.Dispose();
}
