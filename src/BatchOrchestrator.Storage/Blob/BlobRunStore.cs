using BatchOrchestrator.Engine.Json;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>
/// The run store on Blob storage (for hosts on Azure, where the instance's disk is not shared or
/// kept). Blobs under the prefix (ids URL-escaped; layout in docs/storage.md):
/// <list type="bullet">
/// <item><c>sessions/{session id}.json</c> — the session, its listing key, and its attempts. Attempts
/// change by compare-and-set on its ETag, so two hosts never give two attempts the same index and
/// a finished status is written once.</item>
/// <item><c>attempts/{attempt id}</c> — the id of the attempt's session (to find an attempt by id).</item>
/// <item><c>tasks/{attempt id}.json</c> — the attempt's task records in first-written order, merged
/// by the rule of <see cref="TaskRecord"/> under compare-and-set, so stale and concurrent writes are safe.
/// Writes to one attempt from one store are grouped into one upload.</item>
/// <item><c>tries/{attempt id}/{task name}.{try}.json</c> — what each try started (<see cref="StartedTry"/>), for a kill to stop.</item>
/// <item><c>list/all/{key}</c>, <c>list/project/{project}/{key}</c>, <c>list/workflow/{project}/{workflow}/{key}</c> —
/// empty blobs whose metadata is the session; the key inverts the time the session was first
/// written, so a flat listing of a folder is newest first and pages with the service's marker.</item>
/// </list>
/// A batch of task records is all or none per attempt.
/// </summary>
public sealed class BlobRunStore : IRunStore
{
    private const string TokenPrefix = "b1.";

    private readonly BlobContainerClient _container;
    private readonly string _folder;
    private readonly TimeProvider _clock;
    private readonly GroupedWrites<TaskRecord> _taskWrites;

    public BlobRunStore(BlobContainerClient container, string prefix = "", TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        _folder = BlobDocuments.Folder(prefix);
        _clock = clock ?? TimeProvider.System;
        _taskWrites = new GroupedWrites<TaskRecord>(WriteTasksAsync);
    }

    public async Task<SessionRecord> UpsertSessionAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var document = await BlobDocuments.UpdateAsync<SessionDocument, SessionDocument>(
            SessionBlob(session.SessionId),
            stored => stored is null ? NewSession(session) is var created ? (created, created) : default : (null, stored),
            cancellationToken);
        await ListAsync(document, cancellationToken);
        return document.Session;
    }

    public async Task<AttemptRecord> UpsertAttemptAsync(AttemptRecord attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var session = SessionRecord.Of(attempt.Session);
        var (document, stored) = await BlobDocuments.UpdateAsync<SessionDocument, (SessionDocument, AttemptRecord)>(
            SessionBlob(session.SessionId),
            current =>
            {
                var document = current ?? NewSession(session);
                var (attempts, result) = Merge(document.Attempts, attempt);
                return attempts is null && current is not null
                    ? (null, (document, result))
                    : (document with { Attempts = attempts ?? document.Attempts }, (document, result));
            },
            cancellationToken);

        // Written on every upsert (each the same content), so a writer that stopped half-way is completed by the next.
        await Task.WhenAll(
            ListAsync(document, cancellationToken),
            BlobDocuments.PutAsync(AttemptBlob(attempt.AttemptId), BinaryData.FromString(session.SessionId), null, cancellationToken));
        return stored;
    }

    public Task UpsertTaskAsync(TaskRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertTasksAsync([record], cancellationToken);
    }

    public Task UpsertTasksAsync(IReadOnlyCollection<TaskRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.WhenAll(records.GroupBy(r => r.AttemptId, StringComparer.Ordinal)
            .Select(attempt => _taskWrites.WriteAsync(attempt.Key, attempt.ToList(), cancellationToken)));
    }

    public async Task<RecordPage<SessionRecord>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        var marker = query.ContinuationToken is null ? null : ParseToken(query.ContinuationToken);
        var listPrefix = query switch
        {
            { Project: { } project, Workflow: { } workflow } => $"{_folder}list/workflow/{Escape(project)}/{Escape(workflow)}/",
            { Project: { } project } => $"{_folder}list/project/{Escape(project)}/",
            { Workflow: not null } => throw new ArgumentException("A workflow filter needs its project.", nameof(query)),
            _ => $"{_folder}list/all/",
        };

        var items = new List<SessionRecord>();
        try
        {
            // The service may return fewer than asked with a marker; ask again for the rest of the page.
            do
            {
                var pages = _container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, listPrefix, cancellationToken)
                    .AsPages(marker, query.PageSize - items.Count);
                marker = null;
                await foreach (var page in pages.WithCancellation(cancellationToken))
                {
                    items.AddRange(page.Values.Select(item => ListedSession(item.Metadata)));
                    marker = string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken;
                    break;
                }
            }
            while (marker is not null && items.Count < query.PageSize);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return new RecordPage<SessionRecord>([], null);
        }

        return new RecordPage<SessionRecord>(items, marker is null ? null : TokenPrefix + marker);
    }

    public async Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        (await ReadSessionAsync(sessionId, cancellationToken))?.Session;

    public async Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string sessionId, CancellationToken cancellationToken) =>
        (await ReadSessionAsync(sessionId, cancellationToken))?.Attempts.OrderBy(a => a.Index).ToList() ?? [];

    public async Task<AttemptRecord?> GetLatestAttemptAsync(string sessionId, CancellationToken cancellationToken) =>
        (await ReadSessionAsync(sessionId, cancellationToken))?.Attempts.MaxBy(a => a.Index);

    public async Task<AttemptRecord?> GetAttemptAsync(string attemptId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attemptId);
        string sessionId;
        try
        {
            sessionId = (await AttemptBlob(attemptId).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        var document = await ReadSessionAsync(sessionId, cancellationToken);
        return document?.Attempts.FirstOrDefault(a => a.AttemptId == attemptId);
    }

    public async Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string attemptId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attemptId);
        var (tasks, _) = await BlobDocuments.ReadAsync<List<TaskRecord>>(TasksBlob(attemptId), cancellationToken);
        return tasks ?? [];
    }

    public async Task<int> UpsertStartedTryAsync(StartedTry started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        var blob = StartedTryBlob(started.AttemptId, started.TaskName, started.Try);
        if (started.Command is not null)
        {
            await BlobDocuments.PutAsync(blob, Content(started), null, cancellationToken);
            return 0;
        }

        // Without the command's state: written when nothing of this launch is there, so a launch
        // delivered again never erases the state its first delivery wrote.
        try
        {
            await BlobDocuments.CreateAsync(blob, Content(started with { Deliveries = 1 }), cancellationToken);
            return 0;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlobAlreadyExists || e.Status == 409)
        {
        }

        var (stored, _) = await BlobDocuments.ReadAsync<StartedTry>(blob, cancellationToken);
        if (stored is not null && stored.Launch == started.Launch && started.Launch is not null)
        {
            // Delivered again: the stored launch (with its state, if written) counts one more delivery.
            // A mark written before deliveries were counted stands for one.
            var earlier = Math.Max(1, stored.Deliveries);
            await BlobDocuments.PutAsync(blob, Content(stored with { Deliveries = earlier + 1 }), null, cancellationToken);
            return earlier;
        }

        if (stored is not null && stored.Launch == started.Launch)
        {
            return 0;
        }

        // Another launch of the same try number (a group retry): this one is what a kill must find now.
        await BlobDocuments.PutAsync(blob, Content(started with { Deliveries = 1 }), null, cancellationToken);
        return 0;
    }

    private static BinaryData Content(StartedTry started) => BinaryData.FromObjectAsJson(started, BlobDocuments.Json.TypeInfo<StartedTry>());

    public Task<IReadOnlyList<StartedTry>> GetStartedTriesAsync(string attemptId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attemptId);
        return BlobDocuments.ReadAllAsync<StartedTry>(_container, $"{_folder}tries/{Escape(attemptId)}/", cancellationToken);
    }

    /// <summary>The attempts after writing <paramref name="attempt"/> (null: unchanged) and the stored attempt.</summary>
    private static (List<AttemptRecord>? Attempts, AttemptRecord Stored) Merge(IReadOnlyList<AttemptRecord> attempts, AttemptRecord attempt)
    {
        var index = attempts.ToList().FindIndex(a => a.AttemptId == attempt.AttemptId);
        if (index >= 0)
        {
            var stored = attempts[index];
            if (stored.Status != AttemptStatus.Running || attempt.Status == AttemptStatus.Running)
            {
                return (null, stored);
            }

            var finished = stored with { Status = attempt.Status, FinishedAt = attempt.FinishedAt };
            return ([.. attempts.Take(index), finished, .. attempts.Skip(index + 1)], finished);
        }

        if (attempt.Index > 0 && attempts.Any(a => a.Index == attempt.Index))
        {
            throw new InvalidOperationException($"The session '{attempt.SessionId}' already has an attempt with index {attempt.Index}.");
        }

        var added = attempt with { Index = attempt.Index > 0 ? attempt.Index : attempts.Select(a => a.Index).DefaultIfEmpty(0).Max() + 1 };
        return ([.. attempts, added], added);
    }

    private async Task WriteTasksAsync(string attemptId, IReadOnlyList<TaskRecord> records, CancellationToken cancellationToken) =>
        await BlobDocuments.UpdateAsync<List<TaskRecord>, bool>(
            TasksBlob(attemptId),
            stored =>
            {
                var tasks = stored ?? [];
                var changed = false;
                foreach (var record in records)
                {
                    var at = tasks.FindIndex(t => t.TaskName == record.TaskName);
                    if (at < 0)
                    {
                        tasks.Add(record);
                        changed = true;
                    }
                    else if (Replaces(record, tasks[at]))
                    {
                        tasks[at] = record;
                        changed = true;
                    }
                }

                return (changed ? tasks : null, changed);
            },
            cancellationToken);

    /// <summary>The rule of <see cref="TaskRecord"/>: a sequenced write wins when newer; unsequenced ones follow <see cref="TaskStateProgress.Replaces"/>.</summary>
    private static bool Replaces(TaskRecord write, TaskRecord stored) =>
        write.Sequence > 0
            ? write.Sequence > stored.Sequence
            : stored.Sequence == 0 && TaskStateProgress.Replaces(write.Tries, write.State, stored.Tries, stored.State);

    private SessionDocument NewSession(SessionRecord session)
    {
        var inverted = DateTimeOffset.MaxValue.UtcTicks - _clock.GetUtcNow().UtcTicks;
        var key = inverted.ToString("D19", CultureInfo.InvariantCulture) + "-" + Escape(session.SessionId);
        return new SessionDocument(session, key, []);
    }

    /// <summary>Writes the session's three listing blobs (each the same content every time).</summary>
    private Task ListAsync(SessionDocument document, CancellationToken cancellationToken)
    {
        var session = document.Session;
        var metadata = new Dictionary<string, string>
        {
            ["project"] = Escape(session.Project),
            ["workflow"] = Escape(session.Workflow),
            ["sessiontime"] = session.SessionTime.ToString("O", CultureInfo.InvariantCulture),
        };
        string[] names =
        [
            $"{_folder}list/all/{document.ListKey}",
            $"{_folder}list/project/{Escape(session.Project)}/{document.ListKey}",
            $"{_folder}list/workflow/{Escape(session.Project)}/{Escape(session.Workflow)}/{document.ListKey}",
        ];
        return Task.WhenAll(names.Select(name =>
            BlobDocuments.PutAsync(_container.GetBlobClient(name), BinaryData.Empty, metadata, cancellationToken)));
    }

    private static SessionRecord ListedSession(IDictionary<string, string> metadata) =>
        SessionRecord.Of(new(
            Uri.UnescapeDataString(metadata["project"]),
            Uri.UnescapeDataString(metadata["workflow"]),
            DateTimeOffset.ParseExact(metadata["sessiontime"], "O", CultureInfo.InvariantCulture)));

    private async Task<SessionDocument?> ReadSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return (await BlobDocuments.ReadAsync<SessionDocument>(SessionBlob(sessionId), cancellationToken)).Document;
    }

    private static string ParseToken(string token) =>
        token.StartsWith(TokenPrefix, StringComparison.Ordinal) && token.Length > TokenPrefix.Length
            ? token[TokenPrefix.Length..]
            : throw new ArgumentException($"'{token}' is not a continuation token of this store.", nameof(token));

    private static string Escape(string name) => Uri.EscapeDataString(name);

    private BlobClient SessionBlob(string sessionId) => _container.GetBlobClient($"{_folder}sessions/{Escape(sessionId)}.json");

    private BlobClient AttemptBlob(string attemptId) => _container.GetBlobClient($"{_folder}attempts/{Escape(attemptId)}");

    private BlobClient StartedTryBlob(string attemptId, string taskName, int tryNumber) =>
        _container.GetBlobClient($"{_folder}tries/{Escape(attemptId)}/{Escape(taskName)}.{tryNumber.ToString(CultureInfo.InvariantCulture)}.json");

    private BlobClient TasksBlob(string attemptId) => _container.GetBlobClient($"{_folder}tasks/{Escape(attemptId)}.json");

    /// <summary>A session's blob: the record, its listing key (fixed by the first write), and its attempts.</summary>
    internal sealed record SessionDocument(SessionRecord Session, string ListKey, IReadOnlyList<AttemptRecord> Attempts);
}
