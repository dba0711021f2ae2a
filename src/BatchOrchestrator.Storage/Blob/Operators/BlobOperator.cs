using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.Storage.Blob.Operators;

/// <summary>
/// <c>blob&gt;: copy | move | delete</c> — moves report files around a storage account:
/// <c>copy</c> and <c>move</c> take <c>source</c> and <c>destination</c> (<c>container/name</c>;
/// the destination is replaced and its container created when missing), <c>delete</c> takes
/// <c>path</c>. Copies run on the service (the bytes never pass through this host).
/// Safe to repeat: copying again writes the same bytes; deleting a missing blob does nothing;
/// a move repeated after its delete finds the source gone and the destination there, and is done.
/// </summary>
public sealed class BlobOperator : IOperator, ISecretConsumer
{
    /// <summary>What <c>bo check</c> validates; the same rules apply at run time (<see cref="BlobOptionRules"/>).</summary>
    public static OperatorDescription Description { get; } = new("blob", "copies, moves or deletes Azure blobs")
    {
        Example = "blob>: copy (or move, delete)",
        Options =
        [
            new("source", OptionType.String), new("destination", OptionType.String), new("path", OptionType.String),
            new("account_url", OptionType.String),
        ],
        Validator = new BlobOptionValidator(wait: false),
    };

    private readonly BlobOperatorAccounts _accounts;
    private readonly ILogStore _logs;

    internal BlobOperator(BlobOperatorAccounts accounts, ILogStore logs)
    {
        _accounts = accounts;
        _logs = logs;
    }

    public string Name => "blob";

    public IReadOnlyList<string> SecretKeys => BlobOperatorAccounts.SecretKeys;

    public async Task<TaskResult> RunAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new OperatorOptionReader(request, "blob");
        var action = request.Command.ValueKind == JsonValueKind.String ? request.Command.GetString() : request.Command.GetRawText();
        if (action is null || !BlobOptionRules.Actions.Contains(action, StringComparer.Ordinal))
        {
            throw new TaskFailure($"blob>: expected one of {string.Join(", ", BlobOptionRules.Actions)}, got '{action}'", retryable: false);
        }

        if (action == "delete")
        {
            var path = BlobPath.Parse(Name, "path", options.String("path"));
            var service = _accounts.ClientFor(request, options);
            var deleted = await DeleteAsync(service, path, cancellationToken);
            await _logs.AppendAsync(request.Log, deleted ? $"blob>: deleted {path}\n" : $"blob>: {path} was already gone\n", cancellationToken);
            return TaskResult.Empty;
        }

        var source = BlobPath.Parse(Name, "source", options.String("source"));
        var destination = BlobPath.Parse(Name, "destination", options.String("destination"));
        var client = _accounts.ClientFor(request, options);
        await CopyAsync(client, source, destination, moving: action == "move", cancellationToken);
        if (action == "move")
        {
            await DeleteAsync(client, source, cancellationToken);
        }

        await _logs.AppendAsync(request.Log, $"blob>: {(action == "move" ? "moved" : "copied")} {source} to {destination}\n", cancellationToken);
        return TaskResult.Empty;
    }

    private static async Task CopyAsync(BlobServiceClient service, BlobPath source, BlobPath destination, bool moving, CancellationToken cancellationToken)
    {
        var from = service.GetBlobContainerClient(source.Container).GetBlobClient(source.Name);
        var to = service.GetBlobContainerClient(destination.Container).GetBlobClient(destination.Name);
        for (var created = false; ; created = true)
        {
            try
            {
                var copy = await to.StartCopyFromUriAsync(from.Uri, cancellationToken: cancellationToken);
                await copy.WaitForCompletionAsync(cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound && !created)
            {
                await service.GetBlobContainerClient(destination.Container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.CannotVerifyCopySource || e.Status == 404)
            {
                // A move repeated after its delete: the copy it made is there, the source is gone.
                if (moving && await to.ExistsAsync(cancellationToken))
                {
                    return;
                }

                throw new TaskFailure($"blob>: the source {source} does not exist", e);
            }
        }
    }

    private static async Task<bool> DeleteAsync(BlobServiceClient service, BlobPath path, CancellationToken cancellationToken)
    {
        try
        {
            return await service.GetBlobContainerClient(path.Container).GetBlobClient(path.Name)
                .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return false;
        }
    }
}
