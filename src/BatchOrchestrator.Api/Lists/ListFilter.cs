using System.Globalization;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using Microsoft.AspNetCore.Http;

namespace BatchOrchestrator.Api.Lists;

/// <summary>
/// The filters of the session and attempt lists beyond what the stores index: a range of session
/// times and a text (<c>q</c>) found, ignoring case, in the project, workflow, session or attempt
/// id, retry name or params. A bound is a date or a time with offset: a time bounds the instant
/// (<c>from</c> inclusive, <c>to</c> exclusive); a date bounds the session's date in its
/// workflow's zone (both inclusive), so <c>from=2026-11-02</c> finds Tokyo's session of
/// 2026-11-02 00:00+09:00, which is still 11-01 in UTC.
/// </summary>
internal sealed record ListFilter(SessionBound? From, SessionBound? To, string? Text)
{
    public bool IsEmpty => From is null && To is null && string.IsNullOrEmpty(Text);

    /// <summary>Reads the query's <c>from</c>, <c>to</c> and <c>q</c>; a 400 problem for a time that is not one.</summary>
    public static IResult? Read(string? from, string? to, string? q, out ListFilter filter)
    {
        filter = new ListFilter(null, null, null);
        if (ReadBound("from", from, out var start) is { } badFrom)
        {
            return badFrom;
        }

        if (ReadBound("to", to, out var end) is { } badTo)
        {
            return badTo;
        }

        if (q is { Length: > 200 })
        {
            return ApiProblems.Invalid("q", "the text to find is longer than 200 characters");
        }

        filter = new ListFilter(start, end, string.IsNullOrWhiteSpace(q) ? null : q.Trim());
        return null;
    }

    public bool Matches(SessionKey session, params string?[] more)
    {
        ArgumentNullException.ThrowIfNull(session);
        var time = session.SessionTime;
        if ((From is { } from && !from.AtOrBefore(time)) || (To is { } to && !to.After(time)))
        {
            return false;
        }

        return Text is not { } text
            || Contains(session.Project, text) || Contains(session.Workflow, text)
            || more.Any(m => Contains(m, text));
    }

    public bool Matches(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return Matches(attempt.Session, attempt.AttemptId, attempt.SessionId, attempt.RetryAttemptName, attempt.Params?.GetRawText());
    }

    private static bool Contains(string? value, string text) => value?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;

    private static IResult? ReadBound(string field, string? text, out SessionBound? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            value = new SessionBound(day, null);
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            value = new SessionBound(null, time);
            return null;
        }

        return ApiProblems.Invalid(field, $"'{text}' is not a date (2026-11-01) or a time with offset (2026-11-01T09:00:00+09:00)");
    }
}

/// <summary>One end of a session-time range: a date (compared with the session's own date, in its zone) or an instant.</summary>
internal sealed record SessionBound(DateOnly? Date, DateTimeOffset? Time)
{
    /// <summary>Whether a session at <paramref name="sessionTime"/> is on or after this bound.</summary>
    public bool AtOrBefore(DateTimeOffset sessionTime) =>
        Date is { } date ? DateOnly.FromDateTime(sessionTime.DateTime) >= date : sessionTime >= Time;

    /// <summary>Whether a session at <paramref name="sessionTime"/> is before this bound (a date includes its own day).</summary>
    public bool After(DateTimeOffset sessionTime) =>
        Date is { } date ? DateOnly.FromDateTime(sessionTime.DateTime) <= date : sessionTime < Time;
}
