using System.Collections.Immutable;
using System.Globalization;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Language.BuiltIns;

/// <summary>
/// The built-in variables every task sees, with Digdag's names, formats and JSON types:
/// ids and <c>*_unixtime</c> are numbers, times and dates are strings, <c>retry_attempt_name</c> is
/// JSON null when the attempt has no name. They cannot be overridden by any other param
/// (see <see cref="TaskParamResolver"/>).
/// </summary>
public static class BuiltInVariables
{
    private static readonly string[] TimeSuffixes = ["time", "date", "date_compact", "local_time", "tz_offset", "unixtime"];

    /// <summary>Every name this class can produce, including the schedule-only ones.</summary>
    public static ImmutableHashSet<string> Names { get; } = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        [
            "timezone", "project_id", "project_name", "workflow_name", "session_uuid", "session_id",
            "task_name", "attempt_id", "retry_attempt_name",
            .. new[] { "session_", "last_session_", "next_session_", "last_executed_session_" }
                .SelectMany(prefix => TimeSuffixes.Select(suffix => prefix + suffix)),
        ]);

    /// <summary>True when <paramref name="name"/> is a built-in variable (a user param by that name is ignored).</summary>
    public static bool IsBuiltIn(string name) => Names.Contains(name);

    /// <summary>
    /// The built-in variables for one task. <c>last_session_*</c> and <c>next_session_*</c> are present only
    /// when their instants are given (the workflow has a schedule). <c>last_executed_session_*</c> are always
    /// present, as in Digdag: empty strings when no earlier session ran — except <c>tz_offset</c>, which
    /// Digdag fills with the zone's offset at the Unix epoch; we follow it so templates behave the same.
    /// </summary>
    public static ParamSet Create(BuiltInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var zone = context.TimeZone;
        var set = ParamSet.Empty
            .With("timezone", zone.Id)
            .With("session_uuid", context.SessionUuid.ToString("D", CultureInfo.InvariantCulture))
            .With("session_id", JsonValues.Number(context.SessionId));
        set = WithTimes(set, "session_", context.SessionTime, zone);

        if (context.LastSessionTime is { } last)
        {
            set = WithTimes(set, "last_session_", last, zone);
        }

        set = context.LastExecutedSessionTime is { } executed
            ? WithTimes(set, "last_executed_session_", executed, zone)
            : set.With("last_executed_session_time", string.Empty)
                .With("last_executed_session_date", string.Empty)
                .With("last_executed_session_date_compact", string.Empty)
                .With("last_executed_session_local_time", string.Empty)
                .With("last_executed_session_tz_offset", SessionTimeFormat.TzOffset(DateTimeOffset.UnixEpoch, zone))
                .With("last_executed_session_unixtime", string.Empty);

        if (context.NextSessionTime is { } next)
        {
            set = WithTimes(set, "next_session_", next, zone);
        }

        return set
            .With("project_id", JsonValues.Number(context.ProjectId))
            .With("project_name", context.ProjectName)
            .With("workflow_name", context.WorkflowName)
            .With("retry_attempt_name", context.RetryAttemptName is { } name ? JsonValues.String(name) : JsonValues.Null)
            .With("attempt_id", JsonValues.Number(context.AttemptId))
            .With("task_name", context.TaskName);
    }

    private static ParamSet WithTimes(ParamSet set, string prefix, DateTimeOffset instant, TimeZoneInfo zone) => set
        .With(prefix + "time", SessionTimeFormat.Time(instant, zone))
        .With(prefix + "date", SessionTimeFormat.Date(instant, zone))
        .With(prefix + "date_compact", SessionTimeFormat.DateCompact(instant, zone))
        .With(prefix + "local_time", SessionTimeFormat.LocalTime(instant, zone))
        .With(prefix + "tz_offset", SessionTimeFormat.TzOffset(instant, zone))
        .With(prefix + "unixtime", JsonValues.Number(SessionTimeFormat.UnixTime(instant)));
}
