using System.Globalization;

namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// <see cref="IRunStore.ListAttemptsAsync"/> for a store that cannot query attempts across
/// sessions: every session's attempts are read and sorted, and the token is an offset. Costs a
/// read of the whole store per page; the SQLite store answers the same query with one indexed page.
/// </summary>
public static class AttemptScan
{
    public static async Task<RecordPage<AttemptRecord>> ListAsync(IRunStore runs, AttemptQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(query);
        var offset = 0;
        if (query.ContinuationToken is { } token && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            throw new ArgumentException($"'{token}' is not a continuation token of this store", nameof(query));
        }

        var all = new List<AttemptRecord>();
        var sessions = new SessionQuery { Project = query.Project, Workflow = query.Workflow, PageSize = 500 };
        do
        {
            var page = await runs.ListSessionsAsync(sessions, cancellationToken);
            foreach (var session in page.Items)
            {
                all.AddRange((await runs.GetAttemptsAsync(session.SessionId, cancellationToken)).Where(a => query.Status is null || a.Status == query.Status));
            }

            sessions = sessions with { ContinuationToken = page.ContinuationToken };
        }
        while (sessions.ContinuationToken is not null);

        var ordered = all.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.AttemptId, StringComparer.Ordinal).ToList();
        var items = ordered.Skip(offset).Take(query.PageSize).ToList();
        var next = offset + query.PageSize < ordered.Count ? (offset + query.PageSize).ToString(CultureInfo.InvariantCulture) : null;
        return new RecordPage<AttemptRecord>(items, next);
    }
}
