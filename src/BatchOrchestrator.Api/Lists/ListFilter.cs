using System.Globalization;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using Microsoft.AspNetCore.Http;

namespace BatchOrchestrator.Api.Lists;

/// <summary>
/// The filters of the session and attempt lists beyond what the stores index: a range of session
/// times (<c>from</c> inclusive, <c>to</c> exclusive; a bare date in <c>to</c> includes that whole
/// day) and a text (<c>q</c>) found, ignoring case, in the project, workflow, session or attempt id,
/// retry name or params.
/// </summary>
internal sealed record ListFilter(DateTimeOffset? From, DateTimeOffset? To, string? Text)
{
    public bool IsEmpty => From is null && To is null && string.IsNullOrEmpty(Text);

    /// <summary>Reads the query's <c>from</c>, <c>to</c> and <c>q</c>; a 400 problem for a time that is not one.</summary>
    public static IResult? Read(string? from, string? to, string? q, out ListFilter filter)
    {
        filter = new ListFilter(null, null, null);
        if (ReadTime("from", from, endOfDay: false, out var start) is { } badFrom)
        {
            return badFrom;
        }

        if (ReadTime("to", to, endOfDay: true, out var end) is { } badTo)
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
        if ((From is { } from && session.SessionTime < from) || (To is { } to && session.SessionTime >= to))
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

    private static IResult? ReadTime(string field, string? text, bool endOfDay, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            value = endOfDay ? midnight.AddDays(1) : midnight;
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            value = time;
            return null;
        }

        return ApiProblems.Invalid(field, $"'{text}' is not a date (2026-11-01) or a time with offset (2026-11-01T09:00:00+09:00)");
    }
}
