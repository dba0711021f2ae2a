using Azure.Storage.Blobs;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support.Blob;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Operators;

/// <summary>
/// blob_wait>, blob> and param_get>/param_set> on Blob storage, through whole workflows on the
/// durable runtime, against a real Azurite (task logs in append blobs too).
/// </summary>
[TestClass]
public sealed class BlobOperatorWorkflowTests
{
    private static AzuriteServer? _azurite;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    [ClassInitialize]
    public static async Task StartAzuriteAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _azurite = await AzuriteServer.StartAsync(context.CancellationToken);
    }

    [ClassCleanup]
    public static async Task StopAzuriteAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task BlobWaitWaitsForTheFileThenTheWorkflowMovesIt()
    {
        var (host, service) = await StartAsync();
        await using var _ = host;
        host.Write("report.dig", """
            +wait:
              blob_wait>: landing/daily/report.csv
              interval: 1s
            +show:
              echo>: found ${blob.last_object.name} of ${blob.last_object.size} bytes
            +archive:
              blob>: move
              source: landing/daily/report.csv
              destination: archive/2026-11-21/report.csv
            """);

        var attemptId = await host.StartAttemptAsync("ads", "report", Ct);
        // The file lands only once the wait has started checking.
        await host.WaitForLogAsync(attemptId, "+report+wait", "waiting for landing/daily/report.csv", Ct);
        await service.GetBlobContainerClient("landing").CreateIfNotExistsAsync(cancellationToken: Ct);
        await service.GetBlobContainerClient("landing").GetBlobClient("daily/report.csv").UploadAsync(BinaryData.FromString("a,b\n1,2\n"), Ct);
        var run = await host.WaitAsync(attemptId, Ct);

        Assert.IsTrue(run.Succeeded, run.Describe());
        StringAssert.Contains(await host.ReadLogAsync(run.Task("+report+show").LogReference!, Ct), "found daily/report.csv of 8 bytes");
        Assert.AreEqual("a,b\n1,2\n", (await service.GetBlobContainerClient("archive").GetBlobClient("2026-11-21/report.csv").DownloadContentAsync(Ct)).Value.Content.ToString());
        Assert.IsFalse((await service.GetBlobContainerClient("landing").GetBlobClient("daily/report.csv").ExistsAsync(Ct)).Value, "a move leaves no source");
    }

    [TestMethod]
    public async Task BlobWaitWithPrefixFindsAnyBlobUnderIt()
    {
        var (host, service) = await StartAsync();
        await using var _ = host;
        var landing = service.GetBlobContainerClient("exports");
        await landing.CreateIfNotExistsAsync(cancellationToken: Ct);
        await landing.GetBlobClient("2026-11-21/part-0001.parquet").UploadAsync(BinaryData.FromString("x"), Ct);
        host.Write("wait.dig", """
            +wait:
              blob_wait>: exports/2026-11-21/part-
              prefix: true
            +show:
              echo>: ${blob.last_object.container} ${blob.last_object.name}
            """);

        var run = await host.WaitAsync(await host.StartAttemptAsync("ads", "wait", Ct), Ct);

        Assert.IsTrue(run.Succeeded, run.Describe());
        StringAssert.Contains(await host.ReadLogAsync(run.Task("+wait+show").LogReference!, Ct), "exports 2026-11-21/part-0001.parquet");
    }

    [TestMethod]
    public async Task BlobWaitFailsAtItsTimeoutUnlessToldToContinue()
    {
        var (host, _) = await StartAsync();
        await using var __ = host;
        host.Write("late.dig", """
            +wait:
              blob_wait>: quiet/never.csv
              interval: 1s
              timeout: 2s
            """);
        host.Write("lenient.dig", """
            +wait:
              blob_wait>: quiet/never.csv
              interval: 1s
              timeout: 2s
              continue_on_timeout: true
            +after:
              echo>: went on
            """);

        var late = await host.WaitAsync(await host.StartAttemptAsync("ads", "late", Ct), Ct);
        var lenient = await host.WaitAsync(await host.StartAttemptAsync("ads", "lenient", Ct), Ct);

        Assert.IsFalse(late.Succeeded);
        Assert.AreEqual(TaskState.Error, late.Task("+late+wait").State);
        StringAssert.Contains(late.Task("+late+wait").Error, "blob_wait>: quiet/never.csv did not appear within 00:00:02");
        Assert.IsTrue(lenient.Succeeded, lenient.Describe());
        StringAssert.Contains(await host.ReadLogAsync(lenient.Task("+lenient+wait").LogReference!, Ct), "continuing (continue_on_timeout)");
    }

    [TestMethod]
    public async Task BlobCopiesAndDeletesAndAMissingSourceFailsTheTask()
    {
        var (host, service) = await StartAsync();
        await using var _ = host;
        var reports = service.GetBlobContainerClient("reports");
        await reports.CreateIfNotExistsAsync(cancellationToken: Ct);
        await reports.GetBlobClient("daily.csv").UploadAsync(BinaryData.FromString("day"), Ct);
        await reports.GetBlobClient("tmp.csv").UploadAsync(BinaryData.FromString("tmp"), Ct);
        host.Write("tidy.dig", """
            +copy:
              blob>: copy
              source: reports/daily.csv
              destination: reports/latest.csv
            +delete:
              blob>: delete
              path: reports/tmp.csv
            +delete_again:
              blob>: delete
              path: reports/tmp.csv
            """);
        host.Write("missing.dig", """
            +copy:
              blob>: copy
              source: reports/nope.csv
              destination: reports/x.csv
            """);

        var tidy = await host.WaitAsync(await host.StartAttemptAsync("ads", "tidy", Ct), Ct);
        var missing = await host.WaitAsync(await host.StartAttemptAsync("ads", "missing", Ct), Ct);

        Assert.IsTrue(tidy.Succeeded, tidy.Describe());
        Assert.AreEqual("day", (await reports.GetBlobClient("latest.csv").DownloadContentAsync(Ct)).Value.Content.ToString());
        Assert.IsTrue((await reports.GetBlobClient("daily.csv").ExistsAsync(Ct)).Value, "a copy keeps its source");
        Assert.IsFalse((await reports.GetBlobClient("tmp.csv").ExistsAsync(Ct)).Value);
        StringAssert.Contains(await host.ReadLogAsync(tidy.Task("+tidy+delete_again").LogReference!, Ct), "reports/tmp.csv was already gone");
        Assert.IsFalse(missing.Succeeded);
        StringAssert.Contains(missing.Task("+missing+copy").Error, "blob>: the source reports/nope.csv does not exist");
    }

    [TestMethod]
    public async Task ParamsSetByOneWorkflowAreReadByAnotherThroughBlob()
    {
        var (host, _) = await StartAsync();
        await using var __ = host;
        host.Write("producer.dig", """
            +set:
              param_set>:
                last_report: reports/2026-11-21.csv
            """);
        host.Write("consumer.dig", """
            +get:
              param_get>:
                last_report: report
            +show:
              echo>: latest is ${report}
            """);

        var produced = await host.WaitAsync(await host.StartAttemptAsync("ads", "producer", Ct), Ct);
        var consumed = await host.WaitAsync(await host.StartAttemptAsync("ads", "consumer", Ct), Ct);

        Assert.IsTrue(produced.Succeeded && consumed.Succeeded, produced.Describe() + consumed.Describe());
        StringAssert.Contains(await host.ReadLogAsync(consumed.Task("+consumer+show").LogReference!, Ct), "latest is reports/2026-11-21.csv");
    }

    private async Task<(BlobWorkflowHost Host, BlobServiceClient Service)> StartAsync()
    {
        var connectionString = _azurite!.ConnectionString;
        var host = await BlobWorkflowHost.StartAsync(connectionString, "bo-" + Guid.NewGuid().ToString("N")[..12], Ct);
        return (host, BlobAccount.FromConnectionString(connectionString).CreateClient());
    }
}
