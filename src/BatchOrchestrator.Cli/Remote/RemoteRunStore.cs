using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Remote;

/// <summary>
/// A server's records read over its API, as a run store, so <c>bo sessions</c>, <c>attempts</c>,
/// <c>tasks</c> and <c>log</c> show a server's runs with the code (and the output) of local mode.
/// Read-only: records are written by the server that runs the attempts.
/// </summary>
public sealed class RemoteRunStore(ServerClient client) : IRunStore
{
    public async Task<RecordPage<SessionRecord>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = $"api/sessions?pageSize={query.PageSize}"
            + (query.Project is null ? "" : "&project=" + ServerClient.Escape(query.Project))
            + (query.Workflow is null ? "" : "&workflow=" + ServerClient.Escape(query.Workflow))
            + (query.ContinuationToken is null ? "" : "&continuation=" + ServerClient.Escape(query.ContinuationToken));
        var page = await client.GetAsync<PageView<SessionView>>(path, cancellationToken) ?? new PageView<SessionView>([], null);
        return new RecordPage<SessionRecord>([.. page.Items.Select(s => s.ToRecord())], page.Continuation);
    }

    public async Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        (await client.GetAsync<SessionView>("api/sessions/" + ServerClient.Escape(sessionId), cancellationToken))?.ToRecord();

    public async Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string sessionId, CancellationToken cancellationToken) =>
        [.. (await client.GetAsync<List<AttemptView>>($"api/sessions/{ServerClient.Escape(sessionId)}/attempts", cancellationToken) ?? []).Select(a => a.ToRecord())];

    public async Task<AttemptRecord?> GetLatestAttemptAsync(string sessionId, CancellationToken cancellationToken) =>
        (await client.GetAsync<SessionView>("api/sessions/" + ServerClient.Escape(sessionId), cancellationToken))?.LatestAttempt?.ToRecord();

    public async Task<AttemptRecord?> GetAttemptAsync(string attemptId, CancellationToken cancellationToken) =>
        (await client.GetAsync<AttemptView>("api/attempts/" + ServerClient.Escape(attemptId), cancellationToken))?.ToRecord();

    public async Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string attemptId, CancellationToken cancellationToken) =>
        [.. (await client.GetAsync<List<TaskView>>($"api/attempts/{ServerClient.Escape(attemptId)}/tasks", cancellationToken) ?? []).Select(t => t.ToRecord())];

    public Task<SessionRecord> UpsertSessionAsync(SessionRecord session, CancellationToken cancellationToken) => throw ReadOnly();

    public Task<AttemptRecord> UpsertAttemptAsync(AttemptRecord attempt, CancellationToken cancellationToken) => throw ReadOnly();

    public Task UpsertTaskAsync(TaskRecord record, CancellationToken cancellationToken) => throw ReadOnly();

    public Task UpsertTasksAsync(IReadOnlyCollection<TaskRecord> records, CancellationToken cancellationToken) => throw ReadOnly();

    public Task<int> UpsertStartedTryAsync(StartedTry started, CancellationToken cancellationToken) => throw ReadOnly();

    /// <summary>A server's started tries stay on the server: the CLI kills through the server's API.</summary>
    public Task<IReadOnlyList<StartedTry>> GetStartedTriesAsync(string attemptId, CancellationToken cancellationToken) => throw ReadOnly();

    private static NotSupportedException ReadOnly() => new("a server's records are written by the server; the CLI only reads them");
}
