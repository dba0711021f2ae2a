using System.Text.Json;
using BatchOrchestrator.Engine.Sessions;

namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// One run of a session: the row behind <c>bo attempts</c>. Keyed on <see cref="AttemptId"/>
/// (the durable instance id, itself derived from the session and the retry attempt name).
/// Upserts are idempotent: the first write fixes the identity fields (session, name, index,
/// params, created time, resumed-from); later writes can only move <see cref="Status"/> from
/// running to finished, once (see <see cref="AttemptStatus"/>).
/// </summary>
public sealed record AttemptRecord
{
    /// <summary>The attempt's durable instance id.</summary>
    public required string AttemptId { get; init; }

    public required SessionKey Session { get; init; }

    /// <summary>Null for the first attempt of a session; the retry's name after that.</summary>
    public string? RetryAttemptName { get; init; }

    /// <summary>1 for a session's first attempt, then 2, 3, ...; 0 on a write lets the store assign the next one.</summary>
    public int Index { get; init; }

    /// <summary>The params the attempt was started with (a JSON object), merged over the original's on a retry.</summary>
    public JsonElement? Params { get; init; }

    public AttemptStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The attempt this one resumed (retry of failed tasks, or from a task), if any.</summary>
    public string? ResumedFrom { get; init; }

    /// <summary>The id of the session, as in <see cref="SessionRecord.IdOf"/>.</summary>
    public string SessionId => SessionRecord.IdOf(Session);
}
