using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>A session with its attempts (oldest first).</summary>
public sealed record SessionAttempts(SessionRecord Session, IReadOnlyList<AttemptRecord> Attempts)
{
    public AttemptRecord? Latest => Attempts.Count == 0 ? null : Attempts[^1];
}

/// <summary>Every session of a run store, newest first, each with its attempts.</summary>
public static class SessionListing
{
    public static async Task<IReadOnlyList<SessionAttempts>> ReadAsync(IRunStore runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var result = new List<SessionAttempts>();
        string? token = null;
        do
        {
            var page = await runs.ListSessionsAsync(new SessionQuery { ContinuationToken = token }, cancellationToken);
            foreach (var session in page.Items)
            {
                result.Add(new SessionAttempts(session, await runs.GetAttemptsAsync(session.SessionId, cancellationToken)));
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return result;
    }
}
