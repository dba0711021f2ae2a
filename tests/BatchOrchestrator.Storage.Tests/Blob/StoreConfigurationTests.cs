using System.Text.Json;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.Sqlite;
using BatchOrchestrator.Storage.Tests.Support;

namespace BatchOrchestrator.Storage.Tests.Blob;

/// <summary>How a host's environment variables choose the log, param, run and schedule stores.</summary>
[TestClass]
public sealed class StoreConfigurationTests
{
    private static readonly TaskLogKey Key = new("ads", "daily", "2026-11-21T00:00:00Z", "a1", "+daily+load", 1);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void WithoutAnAccountLogsAreFilesUnderTheStateFolder()
    {
        using var folder = new TempFolder();

        var store = LogStoreConfiguration.FromVariables(folder.Path, _ => null);

        Assert.IsInstanceOfType<FileLogStore>(store);
        StringAssert.StartsWith(store.Locate(Key), folder.Path);
    }

    [TestMethod]
    public async Task AConnectionStringPutsLogsInTheNamedContainerUnderThePrefix()
    {
        using var folder = new TempFolder();
        var container = Azurite.NewContainer().Name;
        var variables = new Dictionary<string, string>
        {
            [LogStoreConfiguration.ConnectionStringVariable] = Azurite.ConnectionString,
            [LogStoreConfiguration.ContainerVariable] = container,
            [LogStoreConfiguration.PrefixVariable] = "team-a",
        };

        var store = LogStoreConfiguration.FromVariables(folder.Path, variables.GetValueOrDefault);
        await store.AppendAsync(Key, "hello\n", TestContext.CancellationToken);

        var blob = BlobAccount.FromConnectionString(Azurite.ConnectionString).CreateClient().GetBlobContainerClient(container).GetBlobClient("team-a/" + Key.RelativePath);
        Assert.AreEqual("hello\n", (await blob.DownloadContentAsync(TestContext.CancellationToken)).Value.Content.ToString());
        Assert.IsEmpty(Directory.EnumerateFileSystemEntries(folder.Path), "nothing is written to files");
    }

    [TestMethod]
    public void AnAccountUrlUsesTheDefaultContainer()
    {
        var store = LogStoreConfiguration.FromVariables("unused", new Dictionary<string, string>
        {
            [LogStoreConfiguration.AccountUrlVariable] = "https://myaccount.blob.core.windows.net",
        }.GetValueOrDefault);

        Assert.AreEqual("https://myaccount.blob.core.windows.net/bo-logs/ads/daily/2026-11-21T00_00_00Z/a1/%2Bdaily%2Bload.try1.log", store.Locate(Key).Replace("+", "%2B", StringComparison.Ordinal));
    }

    [TestMethod]
    [DataRow("both", "set either BO_LOG_BLOB_CONNECTION_STRING or BO_LOG_BLOB_ACCOUNT_URL, not both")]
    [DataRow("url", "'myaccount' is not an account URL")]
    [DataRow("container", "BO_LOG_BLOB_CONTAINER 'Logs_2026' is not a container name")]
    public void AMistakeInTheVariablesFailsAtStartUpSayingWhich(string mistake, string expected)
    {
        var variables = mistake switch
        {
            "both" => new Dictionary<string, string> { [LogStoreConfiguration.ConnectionStringVariable] = "UseDevelopmentStorage=true", [LogStoreConfiguration.AccountUrlVariable] = "https://a.blob.core.windows.net" },
            "url" => new Dictionary<string, string> { [LogStoreConfiguration.AccountUrlVariable] = "myaccount" },
            _ => new Dictionary<string, string> { [LogStoreConfiguration.ConnectionStringVariable] = "UseDevelopmentStorage=true", [LogStoreConfiguration.ContainerVariable] = "Logs_2026" },
        };

        var error = Assert.ThrowsExactly<ArgumentException>(() => LogStoreConfiguration.FromVariables("unused", variables.GetValueOrDefault));

        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public async Task ParamsGoToBlobWhenConfiguredAndToSqliteOtherwise()
    {
        using var folder = new TempFolder();
        var container = Azurite.NewContainer().Name;
        var blobVariables = new Dictionary<string, string>
        {
            [ParamStoreConfiguration.ConnectionStringVariable] = Azurite.ConnectionString,
            [ParamStoreConfiguration.ContainerVariable] = container,
        };

        var onBlob = await ParamStoreConfiguration.FromVariablesAsync(folder.File("params.db"), blobVariables.GetValueOrDefault, TestContext.CancellationToken);
        await onBlob.SetAsync("ads", new Dictionary<string, JsonElement> { ["k"] = JsonSerializer.SerializeToElement("v") }, TestContext.CancellationToken);
        var local = await ParamStoreConfiguration.FromVariablesAsync(folder.File("params.db"), _ => null, TestContext.CancellationToken);

        Assert.IsInstanceOfType<BlobParamStore>(onBlob);
        Assert.IsInstanceOfType<SqliteParamStore>(local);
        Assert.IsEmpty(await local.GetAsync("ads", ["k"], TestContext.CancellationToken), "the Blob set did not reach the SQLite file");
        Assert.AreEqual("v", (await onBlob.GetAsync("ads", ["k"], TestContext.CancellationToken))["k"].GetString());
        await ((SqliteParamStore)local).DisposeAsync();
    }

    [TestMethod]
    public async Task RunsAndSchedulesGoToBlobWhenConfiguredAndToSqliteOtherwise()
    {
        using var folder = new TempFolder();
        var container = Azurite.NewContainer().Name;
        var blobVariables = new Dictionary<string, string>
        {
            [RunStoreConfiguration.ConnectionStringVariable] = Azurite.ConnectionString,
            [RunStoreConfiguration.ContainerVariable] = container,
            [RunStoreConfiguration.PrefixVariable] = "team-a",
        };
        var session = new SessionRecord("bo:ads:daily:2026-11-21T00:00:00Z", "ads", "daily", new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero));

        var onBlob = await RunStoreConfiguration.FromVariablesAsync(folder.Path, blobVariables.GetValueOrDefault, TestContext.CancellationToken);
        await onBlob.Runs.UpsertSessionAsync(session, TestContext.CancellationToken);
        var local = await RunStoreConfiguration.FromVariablesAsync(folder.Path, _ => null, TestContext.CancellationToken);

        Assert.IsInstanceOfType<BlobRunStore>(onBlob.Runs);
        Assert.IsInstanceOfType<BlobScheduleStore>(onBlob.Schedules);
        Assert.IsInstanceOfType<SqliteRunStore>(local.Runs);
        Assert.IsInstanceOfType<SqliteScheduleStore>(local.Schedules);
        Assert.IsNull(await local.Runs.GetSessionAsync(session.SessionId, TestContext.CancellationToken), "the Blob write did not reach the SQLite file");
        Assert.AreEqual(session, await onBlob.Runs.GetSessionAsync(session.SessionId, TestContext.CancellationToken));
        var sessionBlob = Azurite.Container(container).GetBlobClient($"team-a/runs/sessions/{Uri.EscapeDataString(session.SessionId)}.json");
        Assert.IsTrue((await sessionBlob.ExistsAsync(TestContext.CancellationToken)).Value, "the session is under the prefix");
        await ((SqliteRunStore)local.Runs).DisposeAsync();
        await ((SqliteScheduleStore)local.Schedules).DisposeAsync();
    }

    [TestMethod]
    public async Task PushedProjectsGoToBlobUnderThePrefixWhenConfiguredAndStayLocalOtherwise()
    {
        using var folder = new TempFolder();
        var container = Azurite.NewContainer().Name;
        var variables = new Dictionary<string, string>
        {
            [ProjectStoreConfiguration.ConnectionStringVariable] = Azurite.ConnectionString,
            [ProjectStoreConfiguration.ContainerVariable] = container,
            [ProjectStoreConfiguration.PrefixVariable] = "team-a",
        };

        Assert.IsNull(ProjectStoreConfiguration.FromVariables(folder.Path, TimeProvider.System, _ => null), "without an account the host keeps pushes in its state folder");
        var store = ProjectStoreConfiguration.FromVariables(folder.Path, TimeProvider.System, variables.GetValueOrDefault)!;
        var pushed = await store.Repository.PushAsync("etl", new Dictionary<string, byte[]> { ["etl.dig"] = "+a:\n  echo>: a\n"u8.ToArray() }, TestContext.CancellationToken);

        var blobs = Azurite.Container(container);
        Assert.IsTrue((await blobs.GetBlobClient($"team-a/revisions/{pushed.Id}.json").ExistsAsync(TestContext.CancellationToken)).Value);
        Assert.IsTrue((await blobs.GetBlobClient("team-a/projects/etl.json").ExistsAsync(TestContext.CancellationToken)).Value);
        StringAssert.StartsWith(pushed.SourceDirectory, folder.Path, "this instance's copy is in the cache folder it was given");
        var both = new Dictionary<string, string>(variables) { [ProjectStoreConfiguration.AccountUrlVariable] = "https://myaccount.blob.core.windows.net" };
        Assert.ThrowsExactly<ArgumentException>(() => ProjectStoreConfiguration.FromVariables(folder.Path, TimeProvider.System, both.GetValueOrDefault));
    }
}
