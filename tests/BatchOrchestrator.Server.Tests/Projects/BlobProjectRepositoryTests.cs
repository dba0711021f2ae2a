using Azure.Storage.Blobs;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Server.Tests.Support;
using BatchOrchestrator.Storage.Blob.Projects;

namespace BatchOrchestrator.Server.Tests.Projects;

/// <summary>
/// The project contract on Blob storage (a real Azurite), where each <see cref="OpenAsync"/> is
/// another instance of the host (its own client and an empty cache folder), plus what only
/// several instances can show.
/// </summary>
[TestClass]
public sealed class BlobProjectRepositoryTests : ProjectRepositoryContractTests
{
    private readonly string _root = Directory.CreateTempSubdirectory("bo-blob-projects-").FullName;
    private string? _connectionString;
    private string? _containerName;
    private int _instances;

    protected override async Task<(IProjectRepository Repository, IProjectRevisionStore Revisions)> OpenAsync()
    {
        var store = await OpenInstanceAsync();
        return (store.Repository, store.Revisions);
    }

    private async Task<BlobProjectStore> OpenInstanceAsync()
    {
        if (_connectionString is null)
        {
            _connectionString = await SharedAzurite.ConnectionStringAsync();
            _containerName = "t" + Guid.NewGuid().ToString("N");
        }

        var cache = Path.Combine(_root, "instance" + Interlocked.Increment(ref _instances));
        return BlobProjectStore.Open(Container(), "team-a", cache, TimeProvider.System);
    }

    private BlobContainerClient Container() => SharedAzurite.Container(_connectionString!, _containerName!);

    [TestCleanup]
    public void DeleteCaches() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public async Task Concurrent_pushes_from_two_instances_all_land_in_the_history()
    {
        var one = await OpenInstanceAsync();
        var two = await OpenInstanceAsync();

        // Distinct files each time, so every push is a revision of its own that must appear in the history.
        var pushes = Enumerable.Range(0, 16)
            .Select(i => (i % 2 == 0 ? one : two).Repository.PushAsync("etl", Files(("etl.dig", $"+a:\n  echo>: push {i}\n")), Ct))
            .ToList();
        var pushed = await Task.WhenAll(pushes);

        var history = await two.Repository.GetRevisionsAsync("etl", Ct);
        CollectionAssert.AreEquivalent(pushed.Select(r => r.Id).ToArray(), history.Select(e => e.Revision).ToArray(), "no push is lost");
        Assert.AreEqual(history[0].Revision, (await one.Repository.GetCurrentRevisionAsync("etl", Ct))?.Id, "the current revision is the newest in the history, on every instance");
        Assert.AreEqual(history[0].Revision, (await two.Repository.GetCurrentRevisionAsync("etl", Ct))?.Id);
    }

    [TestMethod]
    public async Task An_instance_with_an_empty_cache_loads_a_pushed_revision_with_its_scripts_unpacked()
    {
        var pusher = await OpenInstanceAsync();
        var pushed = await pusher.Repository.PushAsync("etl", Files(("etl.dig", Workflow), ("scripts/hello.sh", "echo hello\n")), Ct);
        var other = await OpenInstanceAsync();

        // Orchestrator code loads synchronously, possibly from several threads at once on a fresh instance.
        var loads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => other.Revisions.Load(pushed.Id), Ct)));

        foreach (var loaded in loads)
        {
            Assert.AreEqual(pushed.Id, loaded?.Id);
            Assert.AreEqual(other.Revisions.FolderFor(pushed.Id), loaded!.SourceDirectory, "scripts run in this instance's own copy");
        }

        Assert.AreEqual("echo hello\n", await File.ReadAllTextAsync(Path.Combine(loads[0]!.SourceDirectory, "scripts", "hello.sh"), Ct));
        Assert.AreEqual(Workflow, System.Text.Encoding.UTF8.GetString(loads[0]!.Files["etl.dig"]));
        Assert.IsEmpty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(loads[0]!.SourceDirectory)!, "*.tmp"), "no half-written copy is left behind");
    }

    [TestMethod]
    public async Task A_cache_folder_cleaned_away_between_restarts_is_unpacked_again()
    {
        var pushed = await (await OpenInstanceAsync()).Repository.PushAsync("etl", Files(("etl.dig", Workflow), ("scripts/hello.sh", "echo hello\n")), Ct);
        var before = await OpenInstanceAsync();
        var folder = before.Revisions.Load(pushed.Id)!.SourceDirectory;
        Directory.Delete(folder, recursive: true);

        // The same cache folder after a restart: its record of the revision is there, its unpacked files are not.
        var after = BlobProjectStore.Open(Container(), "team-a", Path.GetDirectoryName(folder)!, TimeProvider.System);

        Assert.AreEqual(folder, after.Revisions.Load(pushed.Id)?.SourceDirectory);
        Assert.AreEqual("echo hello\n", await File.ReadAllTextAsync(Path.Combine(folder, "scripts", "hello.sh"), Ct));
    }

    [TestMethod]
    public async Task A_stored_revision_is_never_rewritten_and_a_damaged_one_is_refused()
    {
        var one = await OpenInstanceAsync();
        var files = Files(("etl.dig", "+a:\n  echo>: a\n"));
        var pushed = await one.Repository.PushAsync("etl", files, Ct);
        var blob = Container().GetBlobClient($"team-a/revisions/{pushed.Id}.json");
        var written = (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value.ETag;

        await (await OpenInstanceAsync()).Repository.PushAsync("etl", files, Ct);
        Assert.AreEqual(written, (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value.ETag, "the same revision pushed again leaves the stored one as it is");

        // A revision blob whose files do not hash to its name (changed by hand) is not run on a fresh instance.
        var text = (await blob.DownloadContentAsync(Ct)).Value.Content.ToString().Replace(Convert.ToBase64String("+a:\n  echo>: a\n"u8.ToArray()), Convert.ToBase64String("+a:\n  echo>: b\n"u8.ToArray()), StringComparison.Ordinal);
        await blob.UploadAsync(BinaryData.FromString(text), overwrite: true, Ct);
        var fresh = await OpenInstanceAsync();
        Assert.ThrowsExactly<InvalidDataException>(() => fresh.Revisions.Load(pushed.Id));
    }

    [TestMethod]
    public async Task With_a_shipped_project_pushes_to_its_name_are_refused_and_other_names_land_in_Blob()
    {
        var store = await OpenInstanceAsync();
        var shippedFolder = Path.Combine(_root, "workflows");
        Directory.CreateDirectory(Path.Combine(shippedFolder, "scripts"));
        await File.WriteAllTextAsync(Path.Combine(shippedFolder, "daily.dig"), "+a:\n  sh>: sh scripts/shipped.sh\n", Ct);
        await File.WriteAllTextAsync(Path.Combine(shippedFolder, "scripts", "shipped.sh"), "echo shipped\n", Ct);
        var shipped = new ShippedProjectCatalog("workflows", shippedFolder, store.Revisions, TimeProvider.System);
        var combined = new CombinedProjectRepository(shipped, store.Repository);

        var refused = await Assert.ThrowsExactlyAsync<NotSupportedException>(() => combined.PushAsync("workflows", Files(("daily.dig", "+a:\n  echo>: pushed\n")), Ct));
        StringAssert.Contains(refused.Message, "deploy");
        var etl = await combined.PushAsync("etl", Files(("etl.dig", "+a:\n  echo>: a\n")), Ct);

        CollectionAssert.AreEqual(new[] { "etl", "workflows" }, (await combined.GetCurrentRevisionsAsync(Ct)).Select(r => r.Project).ToArray());
        var shippedRevision = (await combined.GetCurrentRevisionAsync("workflows", Ct))!;
        Assert.AreEqual(shippedFolder, shippedRevision.SourceDirectory, "the shipped project's scripts run in its folder");
        Assert.AreEqual("folder", (await combined.GetRevisionsAsync("workflows", Ct)).Single().Source);
        Assert.AreEqual(etl.Id, (await combined.GetRevisionsAsync("etl", Ct)).Single().Revision);
        Assert.IsNull(await store.Repository.GetCurrentRevisionAsync("workflows", Ct), "nothing was pushed under the shipped name");
    }
}
