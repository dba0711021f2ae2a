namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Records of sessions, attempts and their tasks, written by activities. Activities run at least
/// once, so every write is an idempotent upsert: writing the same record twice leaves one row,
/// and a stale write never takes a record backwards (see <see cref="TaskRecord"/> and
/// <see cref="AttemptRecord"/> for the rules). A write has happened when its task completes;
/// cancelling only stops the wait, and the write may still be applied, which is harmless because
/// it is idempotent. SQLite locally, Blob storage in the cloud.
/// </summary>
public interface IRunStore
{
    /// <summary>Records a session if it is new; returns the stored record.</summary>
    Task<SessionRecord> UpsertSessionAsync(SessionRecord session, CancellationToken cancellationToken);

    /// <summary>
    /// Records an attempt (and its session, if new) or moves its status forward; returns the
    /// stored record, with its index assigned when the write left it 0.
    /// </summary>
    Task<AttemptRecord> UpsertAttemptAsync(AttemptRecord attempt, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the record of one task, unless it is stale (see <see cref="TaskRecord"/>).</summary>
    Task UpsertTaskAsync(TaskRecord record, CancellationToken cancellationToken);

    /// <summary>Upserts many task records at once, each by the rule of <see cref="UpsertTaskAsync"/>, atomically.</summary>
    Task UpsertTasksAsync(IReadOnlyCollection<TaskRecord> records, CancellationToken cancellationToken);

    /// <summary>Sessions, newest first, a page at a time.</summary>
    Task<RecordPage<SessionRecord>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken);

    Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Attempts across sessions, newest first, a page at a time. A store that can should answer
    /// with one page read (the SQLite store does); the default reads every session (<see cref="AttemptScan"/>).
    /// </summary>
    Task<RecordPage<AttemptRecord>> ListAttemptsAsync(AttemptQuery query, CancellationToken cancellationToken) =>
        AttemptScan.ListAsync(this, query, cancellationToken);

    /// <summary>Every attempt of a session, by index (oldest first).</summary>
    Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>The session's attempt with the highest index, or null when it has none.</summary>
    Task<AttemptRecord?> GetLatestAttemptAsync(string sessionId, CancellationToken cancellationToken);

    Task<AttemptRecord?> GetAttemptAsync(string attemptId, CancellationToken cancellationToken);

    /// <summary>
    /// The recorded status of an attempt, or null when it is not recorded: what the kill check
    /// around every launch reads (twice a task), so a store that can answers it without the whole
    /// row (the SQLite store reads the one column); the default reads the record.
    /// </summary>
    async Task<AttemptStatus?> GetAttemptStatusAsync(string attemptId, CancellationToken cancellationToken) =>
        (await GetAttemptAsync(attemptId, cancellationToken))?.Status;

    /// <summary>Every task record of an attempt, in the order they were first written.</summary>
    Task<IReadOnlyList<TaskRecord>> GetTasksAsync(string attemptId, CancellationToken cancellationToken);

    /// <summary>
    /// Records what a try started (or is about to start), for a kill to stop; a write without
    /// <see cref="StartedTry.Command"/> never replaces a stored one with it of the same
    /// <see cref="StartedTry.Launch"/> (see <see cref="StartedTry"/>).
    /// </summary>
    /// <returns>
    /// For a write without <see cref="StartedTry.Command"/> (the mark a launch writes before it starts
    /// anything): how many times the same launch (same non-null <see cref="StartedTry.Launch"/>) was
    /// recorded before — each an earlier delivery whose command may have run — and the stored
    /// <see cref="StartedTry.Deliveries"/> becomes that plus one. 0 otherwise (the first delivery,
    /// another launch of the try, a write with the state, which stores the caller's count).
    /// </returns>
    Task<int> UpsertStartedTryAsync(StartedTry started, CancellationToken cancellationToken);

    /// <summary>
    /// What a launch writes and reads before its command starts: <see cref="UpsertTasksAsync"/> of
    /// <paramref name="records"/>, <see cref="UpsertStartedTryAsync(StartedTry, CancellationToken)"/>,
    /// then <see cref="GetAttemptStatusAsync"/> — in one transaction where the store can. The status is
    /// read after the mark is written: a kill that records its status and then reads the started tries
    /// either is seen here or sees the mark. A launch writes it again, with no records, once its command
    /// started (<see cref="StartedTry.Command"/> set: the kill reads it to stop the command).
    /// </summary>
    async Task<LaunchMark> MarkLaunchAsync(StartedTry started, IReadOnlyCollection<TaskRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count > 0)
        {
            await UpsertTasksAsync(records, cancellationToken);
        }

        var earlier = await UpsertStartedTryAsync(started, cancellationToken);
        return new LaunchMark(earlier, await GetAttemptStatusAsync(started.AttemptId, cancellationToken));
    }

    /// <summary>Everything the tries of an attempt started, in no particular order.</summary>
    Task<IReadOnlyList<StartedTry>> GetStartedTriesAsync(string attemptId, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the environment variables an attempt's commands share, by their key (see
    /// <see cref="Workflows.Activities.SharedEnvironment"/>), so a host that restarts can launch a command
    /// that names them by key (one delivered again) without asking the orchestrator for them first.
    /// Optional: a store that does not keep them (the default) only costs that host the question.
    /// </summary>
    Task SaveSharedEnvironmentAsync(string attemptId, string key, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>The variables saved under <paramref name="key"/>, or null.</summary>
    Task<IReadOnlyDictionary<string, string>?> GetSharedEnvironmentAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>?>(null);
}
