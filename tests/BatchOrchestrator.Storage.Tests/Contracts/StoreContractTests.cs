namespace BatchOrchestrator.Storage.Tests.Contracts;

/// <summary>
/// The frame of a store contract: each test opens stores on one place of its own (a file, a
/// container), as many as it likes, and they are closed and the place released after it.
/// </summary>
public abstract class StoreContractTests<TStore>
    where TStore : class
{
    private readonly List<TStore> _opened = [];

    public TestContext TestContext { get; set; } = null!;

    protected CancellationToken Ct => TestContext.CancellationToken;

    /// <summary>Opens a store on this test's place (the same place every time within a test), as another host would.</summary>
    protected abstract Task<TStore> OpenCoreAsync();

    /// <summary>Releases what the test's place holds (after its stores are closed).</summary>
    protected virtual void DeletePlace()
    {
    }

    [TestCleanup]
    public async Task CloseStoresAsync()
    {
        foreach (var store in _opened.OfType<IAsyncDisposable>())
        {
            await store.DisposeAsync();
        }

        DeletePlace();
    }

    protected async Task<TStore> OpenAsync()
    {
        var store = await OpenCoreAsync();
        _opened.Add(store);
        return store;
    }
}
