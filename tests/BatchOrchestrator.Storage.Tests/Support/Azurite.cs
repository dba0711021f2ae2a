using Azure.Storage.Blobs;
using BatchOrchestrator.Storage.Blob;

namespace BatchOrchestrator.Storage.Tests.Support;

/// <summary>The test assembly's Azurite: started once before the first test, stopped after the last.</summary>
[TestClass]
public static class Azurite
{
    private static AzuriteServer? _server;

    public static string ConnectionString => (_server ?? throw new InvalidOperationException("Azurite is not started")).ConnectionString;

    /// <summary>A container of its own for one test (a fresh name each time, so tests never share blobs).</summary>
    public static BlobContainerClient NewContainer() => Container("t" + Guid.NewGuid().ToString("N"));

    /// <summary>The container on a client of its own, as a separate host would have.</summary>
    public static BlobContainerClient Container(string name) =>
        BlobAccount.FromConnectionString(ConnectionString).CreateClient().GetBlobContainerClient(name);

    [AssemblyInitialize]
    public static async Task StartAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _server = await AzuriteServer.StartAsync(context.CancellationToken);
    }

    [AssemblyCleanup]
    public static async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
