using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
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
            "task_name", "attempt_id", "retry_attempt_name", "_project_path", "_workdir",
            .. new[] { "session_", "last_session_", "next_session_", "last_executed_session_" }
                .SelectMany(prefix => TimeSuffixes.Select(suffix => prefix + suffix)),
        ]);

    /// <summary>True when <paramref name="name"/> is a built-in variable (a user param by that name is ignored).</summary>
    public static bool IsBuiltIn(string name) => NameSet.Contains(name);

    // Read for every variable of every command launched (the shared environment's split): a frozen set looks up faster than the immutable one.
    private static readonly FrozenSet<string> NameSet = Names.ToFrozenSet(StringComparer.Ordinal);

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

        // One document for all values: building ~40 values one by one costs ten times more.
        return ParamSet.FromJson(JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("timezone", zone.Id);
            w.WriteString("session_uuid", context.SessionUuid.ToString("D", CultureInfo.InvariantCulture));
            w.WriteNumber("session_id", context.SessionId);
            WriteTimes(w, "session_", context.SessionTime, zone);
            if (context.LastSessionTime is { } last)
            {
                WriteTimes(w, "last_session_", last, zone);
            }

            if (context.LastExecutedSessionTime is { } executed)
            {
                WriteTimes(w, "last_executed_session_", executed, zone);
            }
            else
            {
                w.WriteString("last_executed_session_time", string.Empty);
                w.WriteString("last_executed_session_date", string.Empty);
                w.WriteString("last_executed_session_date_compact", string.Empty);
                w.WriteString("last_executed_session_local_time", string.Empty);
                w.WriteString("last_executed_session_tz_offset", SessionTimeFormat.TzOffset(DateTimeOffset.UnixEpoch, zone));
                w.WriteString("last_executed_session_unixtime", string.Empty);
            }

            if (context.NextSessionTime is { } next)
            {
                WriteTimes(w, "next_session_", next, zone);
            }

            w.WriteNumber("project_id", context.ProjectId);
            w.WriteString("project_name", context.ProjectName);
            w.WriteString("workflow_name", context.WorkflowName);
            if (context.RetryAttemptName is { } name)
            {
                w.WriteString("retry_attempt_name", name);
            }
            else
            {
                w.WriteNull("retry_attempt_name");
            }

            w.WriteNumber("attempt_id", context.AttemptId);
            w.WriteString("task_name", context.TaskName);
            if (context.ProjectPath is { } projectPath)
            {
                w.WriteString("_project_path", projectPath);
            }

            w.WriteString("_workdir", context.WorkDirectory);
            w.WriteEndObject();
        }));
    }

    private static void WriteTimes(Utf8JsonWriter w, string prefix, DateTimeOffset instant, TimeZoneInfo zone)
    {
        w.WriteString(prefix + "time", SessionTimeFormat.Time(instant, zone));
        w.WriteString(prefix + "date", SessionTimeFormat.Date(instant, zone));
        w.WriteString(prefix + "date_compact", SessionTimeFormat.DateCompact(instant, zone));
        w.WriteString(prefix + "local_time", SessionTimeFormat.LocalTime(instant, zone));
        w.WriteString(prefix + "tz_offset", SessionTimeFormat.TzOffset(instant, zone));
        w.WriteNumber(prefix + "unixtime", SessionTimeFormat.UnixTime(instant));
    }
}
