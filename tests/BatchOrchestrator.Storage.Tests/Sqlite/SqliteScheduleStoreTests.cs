using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Sqlite;
using BatchOrchestrator.Storage.Tests.Contracts;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

[TestClass]
public sealed class SqliteScheduleStoreTests : ScheduleStoreContractTests
{
    private readonly TempFolder _folder = new();

    protected override async Task<IScheduleStore> OpenCoreAsync() => await SqliteScheduleStore.OpenAsync(_folder.File("schedules.db"), Ct);

    protected override void DeletePlace() => _folder.Dispose();
}
