using Azure.Storage.Blobs;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Support;

/// <summary>One Azurite for the tests of this assembly that need Blob storage: started by the first of them, stopped after the last test.</summary>
[TestClass]
public static class SharedAzurite
{
    private static readonly Lazy<Task<AzuriteServer>> Server = new(() => AzuriteServer.StartAsync(CancellationToken.None));

    public static async Task<string> ConnectionStringAsync() => (await Server.Value).ConnectionString;

    /// <summary>A container of the test's own (a fresh name), on a client of its own as a separate host would have.</summary>
    public static async Task<BlobContainerClient> NewContainerAsync() =>
        Container(await ConnectionStringAsync(), "t" + Guid.NewGuid().ToString("N"));

    public static BlobContainerClient Container(string connectionString, string name) =>
        BlobAccount.FromConnectionString(connectionString).CreateClient().GetBlobContainerClient(name);

    [AssemblyCleanup]
    public static async Task StopAsync()
    {
        if (Server.IsValueCreated)
        {
            await (await Server.Value).DisposeAsync();
        }
    }
}
