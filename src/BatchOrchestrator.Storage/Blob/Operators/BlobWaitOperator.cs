using BatchOrchestrator.Engine.Json;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.Storage.Blob.Operators;

/// <summary>
/// <c>blob_wait&gt;: container/name</c> — waits for a blob to appear (Digdag's <c>s3_wait&gt;</c> for
/// Azure Blob storage); with <c>prefix: true</c>, for any blob whose name starts with the name.
/// Each check is one short run; between checks the try waits on a durable timer, holding no
/// worker, so a wait of hours costs nothing and survives restarts. Checks come every
/// <c>interval</c>, or by default after 5 s, then twice as long each time up to 5 minutes.
/// When found, the blob is stored as <c>${blob.last_object}</c> (container, name, url, size,
/// content_type, etag, last_modified). With <c>timeout</c>, the task fails when nothing appeared
/// in time, or with <c>continue_on_timeout: true</c> succeeds with <c>blob.last_object</c> null.
/// Read-only, so safe to repeat.
/// </summary>
public sealed class BlobWaitOperator : IOperator, ISecretConsumer
{
    /// <summary>What <c>bo check</c> validates; the same rules apply at run time (<see cref="BlobOptionRules"/>).</summary>
    public static OperatorDescription Description { get; } = new("blob_wait", "waits for an Azure blob to appear")
    {
        Example = "blob_wait>: container/blob-name",
        Options =
        [
            new("prefix", OptionType.Boolean), new("interval", OptionType.Duration), new("continue_on_timeout", OptionType.Boolean),
            new("account_url", OptionType.String),
        ],
        Validator = new BlobOptionValidator(wait: true),
    };

    private static readonly TimeSpan FirstInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(5);

    private readonly BlobOperatorAccounts _accounts;
    private readonly ILogStore _logs;
    private readonly TimeProvider _clock;

    internal BlobWaitOperator(BlobOperatorAccounts accounts, ILogStore logs, TimeProvider clock)
    {
        _accounts = accounts;
        _logs = logs;
        _clock = clock;
    }

    public string Name => "blob_wait";

    public IReadOnlyList<string> SecretKeys => BlobOperatorAccounts.SecretKeys;

    public async Task<TaskResult> RunAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new OperatorOptionReader(request, "blob");
        var path = BlobPath.Parse(Name, "the blob", request.Command.ValueKind == JsonValueKind.String ? request.Command.GetString() : request.Command.GetRawText());
        var prefix = options.Boolean("prefix") ?? false;
        var interval = options.Duration("interval");
        var timeout = options.Duration("timeout");
        var continueOnTimeout = options.Boolean("continue_on_timeout") ?? false;
        var state = request.PollState is { } previous ? previous.Deserialize(StorageJsonContext.Default.WaitState)! : new WaitState(_clock.GetUtcNow(), 0);
        var container = _accounts.ClientFor(request, options).GetBlobContainerClient(path.Container);
        var what = prefix ? $"a blob under {path}" : path.ToString();

        if (await FindAsync(container, path.Name, prefix, cancellationToken) is { } found)
        {
            await _logs.AppendAsync(request.Log, $"blob_wait>: found {path.Container}/{found.Name} ({found.Size} bytes)\n", cancellationToken);
            return Stored(found.ToJson());
        }

        var waited = _clock.GetUtcNow() - state.StartedAt;
        if (timeout is { } limit && waited >= limit)
        {
            if (continueOnTimeout)
            {
                await _logs.AppendAsync(request.Log, $"blob_wait>: {what} did not appear within {limit}; continuing (continue_on_timeout)\n", cancellationToken);
                return Stored(null);
            }

            throw new TaskFailure($"blob_wait>: {what} did not appear within {limit}");
        }

        if (state.Checks == 0)
        {
            await _logs.AppendAsync(request.Log, $"blob_wait>: waiting for {what}\n", cancellationToken);
        }

        var next = interval ?? Backoff(state.Checks);
        if (timeout is { } deadline && waited + next > deadline)
        {
            // One last check right at the deadline, not an interval after it.
            next = deadline - waited;
        }

        return new TaskResult { PollAgain = new OperatorPoll(next, JsonSerializer.SerializeToElement(state with { Checks = state.Checks + 1 }, StorageJsonContext.Default.WaitState)) };
    }

    private static TimeSpan Backoff(int checks) =>
        TimeSpan.FromTicks(Math.Min(MaxInterval.Ticks, FirstInterval.Ticks << Math.Min(checks, 16)));

    private static async Task<FoundBlob?> FindAsync(BlobContainerClient container, string name, bool prefix, CancellationToken cancellationToken)
    {
        try
        {
            if (prefix)
            {
                await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, name, cancellationToken))
                {
                    var p = item.Properties;
                    return new FoundBlob(container, item.Name, p.ContentLength ?? 0, p.ContentType, p.ETag?.ToString(), p.LastModified);
                }

                return null;
            }

            var blob = container.GetBlobClient(name);
            BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            return new FoundBlob(container, name, properties.ContentLength, properties.ContentType, properties.ETag.ToString(), properties.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No such blob, or no such container yet: both mean "not there yet".
            return null;
        }
    }

    private static TaskResult Stored(JsonNode? lastObject) =>
        new() { StoreParams = JsonSerializer.SerializeToElement(new JsonObject { ["blob"] = new JsonObject { ["last_object"] = lastObject } }, ValuesJsonContext.Default.JsonObject) };

    /// <summary>What a try carries from one check to the next (kept in history, so small).</summary>
    internal sealed record WaitState(DateTimeOffset StartedAt, int Checks);

    private sealed record FoundBlob(BlobContainerClient Container, string Name, long Size, string? ContentType, string? ETag, DateTimeOffset? LastModified)
    {
        public JsonObject ToJson() => new()
        {
            ["container"] = Container.Name,
            ["name"] = Name,
            ["url"] = Container.GetBlobClient(Name).Uri.ToString(),
            ["size"] = Size,
            ["content_type"] = ContentType,
            ["etag"] = ETag,
            ["last_modified"] = LastModified?.ToString("O", CultureInfo.InvariantCulture),
        };
    }
}
