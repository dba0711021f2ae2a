using System.Globalization;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// Finds the attempt a user means. Attempt ids are long (<c>bo:project:workflow:time:0</c>), so
/// besides the full id this accepts a unique prefix or part of one, and a number: the attempt
/// with that index (1, 2, ...; <c>#2 rerun-1</c> in <c>bo attempts</c>) in the session run last —
/// the one whose latest attempt was created last, whatever its session time.
/// </summary>
public static class AttemptFinder
{
    public static async Task<AttemptRecord> FindAsync(IRunStore runs, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        if (await runs.GetAttemptAsync(reference, cancellationToken) is { } exact)
        {
            return exact;
        }

        var sessions = await SessionListing.ReadAsync(runs, cancellationToken);
        if (int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            var newest = sessions.Where(s => s.Attempts.Count > 0).MaxBy(s => s.Attempts.Max(a => a.CreatedAt));
            return newest?.Attempts.FirstOrDefault(a => a.Index == index)
                ?? throw new UserError(newest is null
                    ? "no attempts recorded yet"
                    : $"session {newest.Session.SessionId} has no attempt #{index} (it has {string.Join(", ", newest.Attempts.Select(a => "#" + a.Index))})");
        }

        var all = sessions.SelectMany(s => s.Attempts).ToList();
        var matches = all.Where(a => a.AttemptId.StartsWith(reference, StringComparison.Ordinal)).ToList();
        if (matches.Count == 0)
        {
            matches = all.Where(a => a.AttemptId.Contains(reference, StringComparison.Ordinal)).ToList();
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new UserError($"no attempt matches '{reference}' (see `bo attempts`)"),
            _ => throw new UserError($"'{reference}' matches {matches.Count} attempts; give more of the id:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", matches.Take(10).Select(a => a.AttemptId))),
        };
    }

    /// <summary>A session by id or by a unique prefix or part of its id.</summary>
    public static async Task<SessionAttempts> FindSessionAsync(IRunStore runs, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var sessions = await SessionListing.ReadAsync(runs, cancellationToken);
        var matches = sessions.Where(s => s.Session.SessionId == reference).ToList();
        if (matches.Count == 0)
        {
            matches = sessions.Where(s => s.Session.SessionId.StartsWith(reference, StringComparison.Ordinal)).ToList();
        }

        if (matches.Count == 0)
        {
            matches = sessions.Where(s => s.Session.SessionId.Contains(reference, StringComparison.Ordinal)).ToList();
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new UserError($"no session matches '{reference}' (see `bo sessions`)"),
            _ => throw new UserError($"'{reference}' matches {matches.Count} sessions; give more of the id"),
        };
    }
}
