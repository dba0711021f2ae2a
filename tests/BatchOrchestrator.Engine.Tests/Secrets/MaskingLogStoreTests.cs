using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Secrets;

[TestClass]
public sealed class MaskingLogStoreTests
{
    private const string Secret = "s3cr3t-Value";
    private static readonly TaskLogKey Log = new("proj", "wf", "2026-11-21", "a1", "+wf+task", 0);
    private static readonly TaskLogKey Other = Log with { TaskName = "+wf+other" };

    [TestMethod]
    public async Task A_value_split_over_two_appends_never_reaches_the_store_and_completing_writes_the_rest()
    {
        var inner = new RecordingLogStore();
        var logs = new MaskingLogStore(inner);
        logs.Register(Log, new SecretMasker([Secret]));

        await logs.AppendAsync(Log, "token=s3cr", CancellationToken.None);
        await logs.AppendAsync(Log, "3t-Value\nbye", CancellationToken.None);
        Assert.IsFalse(inner.Appends(Log).Any(a => a.Contains("s3cr", StringComparison.Ordinal)), string.Join("|", inner.Appends(Log)));
        await logs.CompleteAsync(Log, CancellationToken.None);

        Assert.AreEqual("token=***\nbye", inner.Text(Log));
        Assert.IsNull(logs.MaskerOf(Log));
    }

    [TestMethod]
    public async Task Logs_nobody_registered_pass_through_unchanged()
    {
        var inner = new RecordingLogStore();
        var logs = new MaskingLogStore(inner);
        logs.Register(Log, new SecretMasker([Secret]));

        await logs.AppendAsync(Other, Secret, CancellationToken.None);

        Assert.AreEqual(Secret, inner.Text(Other));
    }

    [TestMethod]
    public async Task An_append_the_store_fails_consumes_nothing_so_the_same_text_can_be_sent_again()
    {
        var inner = new RecordingLogStore();
        var logs = new MaskingLogStore(inner);
        logs.Register(Log, new SecretMasker([Secret]));
        await logs.AppendAsync(Log, "first line that is long enough s3c", CancellationToken.None);

        inner.FailNext = true;
        await Assert.ThrowsExactlyAsync<IOException>(() => logs.AppendAsync(Log, "r3t-Value tail", CancellationToken.None));
        await logs.AppendAsync(Log, "r3t-Value tail", CancellationToken.None);
        await logs.CompleteAsync(Log, CancellationToken.None);

        Assert.AreEqual("first line that is long enough *** tail", inner.Text(Log));
    }
}
