using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Blob.Operators;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.Tests.Support;

namespace BatchOrchestrator.Storage.Tests.Blob.Operators;

/// <summary>Which account blob_wait>/blob> use when the host names none.</summary>
[TestClass]
public sealed class BlobOperatorAccountTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task TheProjectSecretConnectionStringIsUsedWhenTheHostHasNoDefault()
    {
        using var folder = new TempFolder();
        var container = Azurite.NewContainer();
        await container.CreateAsync(cancellationToken: TestContext.CancellationToken);
        await container.GetBlobClient("ready.flag").UploadAsync(BinaryData.FromString("ok"), TestContext.CancellationToken);
        var wait = Operator(folder, "blob_wait");

        // The activity passes a set secret the operator declares as a param of the same name.
        var result = await wait.RunAsync(Request("blob_wait", $"{container.Name}/ready.flag", folder, $$"""{"azure.blob.connection_string": {{JsonSerializer.Serialize(Azurite.ConnectionString)}}}"""), TestContext.CancellationToken);

        Assert.IsNull(result.PollAgain);
        Assert.AreEqual("ready.flag", result.StoreParams!.Value.GetProperty("blob").GetProperty("last_object").GetProperty("name").GetString());
        CollectionAssert.Contains(((ISecretConsumer)wait).SecretKeys.ToList(), "azure.blob.connection_string");
    }

    [TestMethod]
    public async Task WithNoAccountAnywhereTheTaskFailsSayingHowToSetOne()
    {
        using var folder = new TempFolder();

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => Operator(folder, "blob").RunAsync(Request("blob", "delete", folder, "{}", """{"path": "reports/x.csv"}"""), TestContext.CancellationToken));

        StringAssert.Contains(failure.Message, "blob>: no storage account: set the account_url option, the secret azure.blob.connection_string");
        Assert.IsFalse(failure.Retryable);
    }

    [TestMethod]
    public async Task AnAbsentBlobAsksToBeCheckedAgainLaterWithItsStartTimeKept()
    {
        using var folder = new TempFolder();
        var wait = Operator(folder, "blob_wait");
        var request = Request("blob_wait", "nowhere/none.csv", folder, $$"""{"azure.blob.connection_string": {{JsonSerializer.Serialize(Azurite.ConnectionString)}}}""", """{"interval": "7s"}""");

        var first = await wait.RunAsync(request, TestContext.CancellationToken);
        var second = await wait.RunAsync(request with { PollState = first.PollAgain!.State }, TestContext.CancellationToken);

        Assert.AreEqual(TimeSpan.FromSeconds(7), first.PollAgain.After);
        Assert.AreEqual(first.PollAgain.State.GetProperty("StartedAt").GetString(), second.PollAgain!.State.GetProperty("StartedAt").GetString());
    }

    private static IOperator Operator(TempFolder folder, string name) =>
        new BlobOperators(hostDefault: null).AddTo(new OperatorRegistry())
            .CreateActivities(new OperatorServices(new HttpClient(), new FileLogStore(folder.Path), new NoParams())).Find(name)!;

    /// <summary>The Blob operators read no persistent params.</summary>
    private sealed class NoParams : IParamStore
    {
        public Task<IReadOnlyDictionary<string, System.Text.Json.JsonElement>> GetAsync(string project, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetAsync(string project, IReadOnlyDictionary<string, System.Text.Json.JsonElement> values, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static TaskRequest Request(string name, string command, TempFolder folder, string parameters, string config = "{}") => new()
    {
        AttemptId = "a1",
        TaskName = "+wf+t",
        OperatorName = name,
        Command = JsonSerializer.SerializeToElement(command),
        Config = JsonElement.Parse(config),
        Params = JsonElement.Parse(parameters),
        WorkingDirectory = folder.Path,
        Log = new TaskLogKey("p", "wf", "2026-11-21", "a1", "+wf+t", 0),
    };
}
