using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Tests.Contracts;
using BatchOrchestrator.Storage.Tests.Support;

namespace BatchOrchestrator.Storage.Tests.Blob;

/// <summary>The schedule store contract on a real Azurite, each store with its own client as separate hosts would have.</summary>
[TestClass]
public sealed class BlobScheduleStoreTests : ScheduleStoreContractTests
{
    private readonly string _containerName = Azurite.NewContainer().Name;

    protected override Task<IScheduleStore> OpenCoreAsync() =>
        Task.FromResult<IScheduleStore>(new BlobScheduleStore(Azurite.Container(_containerName), "schedules"));
}
