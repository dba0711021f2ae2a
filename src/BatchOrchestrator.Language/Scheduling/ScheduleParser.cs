using System.Globalization;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Time;
using NCrontab;

namespace BatchOrchestrator.Language.Scheduling;

/// <summary>
/// Reads a workflow's <c>schedule:</c> value. Reports every problem at the node it is about, saying what was
/// expected, so one <c>bo check</c> shows them all.
/// </summary>
public static class ScheduleParser
{
    private const string OperatorList = "hourly>, daily>, weekly>, monthly>, minutes_interval> or cron>";

    private static readonly string[] Operators = ["hourly>", "daily>", "weekly>", "monthly>", "minutes_interval>", "cron>"];

    private static readonly string[] Options = ["skip_on_overtime", "skip_delayed_by", "start", "end", "delay"];

    private static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    /// <summary>
    /// The schedule <paramref name="node"/> describes, or null when it has errors (each reported into
    /// <paramref name="diagnostics"/> as <c>file:line:col: message</c>). Warnings do not make it null.
    /// </summary>
    public static ScheduleDefinition? Parse(ConfigNode node, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (node is not MappingNode mapping)
        {
            diagnostics.Error(node.Location, $"schedule: expected a mapping with one of {OperatorList}, e.g. 'daily>: 07:00:00', got {Describe(node)}");
            return null;
        }

        var errorsBefore = ErrorCount(diagnostics);
        ConfigEntry? operatorEntry = null;
        foreach (var entry in mapping.Entries)
        {
            if (Operators.Contains(entry.Name, StringComparer.Ordinal))
            {
                if (operatorEntry is null)
                {
                    operatorEntry = entry;
                }
                else
                {
                    diagnostics.Error(entry.Key.Location, $"schedule: has both {operatorEntry.Name} and {entry.Name}; a schedule takes exactly one of {OperatorList}");
                }
            }
            else if (!Options.Contains(entry.Name, StringComparer.Ordinal))
            {
                var kind = entry.Name.EndsWith('>') ? "schedule type" : "schedule option";
                diagnostics.Error(entry.Key.Location, $"schedule: unknown {kind} '{entry.Name}'{UnknownKeyHint(entry.Name)}");
            }
        }

        // An unknown 'x>:' already told the user which types exist; saying "needs one of" again is noise.
        if (operatorEntry is null && !mapping.Entries.Any(e => e.Name.EndsWith('>')))
        {
            diagnostics.Error(mapping.Location, $"schedule: needs one of {OperatorList}, e.g. 'daily>: 07:00:00'");
        }

        var delay = ReadDelay(mapping, operatorEntry, diagnostics);
        var rule = operatorEntry is null ? null : ReadRule(operatorEntry, delay, diagnostics);
        var skipOnOvertime = ReadBoolean(mapping, "skip_on_overtime", diagnostics);
        var skipDelayedBy = mapping.Get("skip_delayed_by") is { } skipNode ? DurationText.Read(skipNode, "skip_delayed_by", diagnostics) : null;
        var start = ReadDate(mapping, "start", diagnostics);
        var end = ReadDate(mapping, "end", diagnostics);
        if (start is { } s && end is { } e && e < s)
        {
            diagnostics.Error(mapping.Get("end")!.Location, $"end: {e:yyyy-MM-dd} is before start: {s:yyyy-MM-dd}; the schedule would never run");
        }

        return rule is null || ErrorCount(diagnostics) > errorsBefore
            ? null
            : new ScheduleDefinition(rule, skipOnOvertime, skipDelayedBy, start, end, mapping.Location);
    }

    private static ScheduleRule? ReadRule(ConfigEntry entry, TimeSpan delay, DiagnosticBag diagnostics) => entry.Name switch
    {
        "hourly>" => ReadHourly(entry.Value, diagnostics),
        "daily>" => ReadDaily(entry.Value, diagnostics),
        "weekly>" => ReadWeekly(entry.Value, diagnostics),
        "monthly>" => ReadMonthly(entry.Value, diagnostics),
        "minutes_interval>" => ReadMinutesInterval(entry.Value, delay, diagnostics),
        _ => ReadCron(entry.Value, delay, diagnostics),
    };

    private static HourlyRule? ReadHourly(ConfigNode node, DiagnosticBag diagnostics)
    {
        const string expected = "hourly>: expected MM:SS, e.g. 30:00";
        if (Text(node) is not { } text || Split(text, ':') is not [var m, var s] || !TryNumber(m, out var minutes) || !TryNumber(s, out var seconds))
        {
            diagnostics.Error(node.Location, $"{expected}, got {Describe(node)}");
            return null;
        }

        if (minutes > 59 || seconds > 59)
        {
            diagnostics.Error(node.Location, $"{expected}, with minutes and seconds 00-59, got '{text}'");
            return null;
        }

        return new HourlyRule(new TimeSpan(0, minutes, seconds));
    }

    private static DailyRule? ReadDaily(ConfigNode node, DiagnosticBag diagnostics) =>
        ReadTimeOfDay(node, "daily>: expected HH:MM:SS, e.g. 07:00:00", Text(node), diagnostics) is { } at ? new DailyRule(at) : null;

    private static WeeklyRule? ReadWeekly(ConfigNode node, DiagnosticBag diagnostics)
    {
        const string expected = "weekly>: expected DDD,HH:MM:SS, e.g. Sun,09:00:00";
        if (Text(node) is not { } text || text.Split(',', 2) is not [var dayText, var timeText])
        {
            diagnostics.Error(node.Location, $"{expected}, got {Describe(node)}");
            return null;
        }

        var day = ReadDay(node, dayText.Trim(), diagnostics);
        var at = ReadTimeOfDay(node, expected, timeText.Trim(), diagnostics);
        return day is { } d && at is { } a ? new WeeklyRule(d, a) : null;
    }

    private static DayOfWeek? ReadDay(ConfigNode node, string text, DiagnosticBag diagnostics)
    {
        var index = Array.FindIndex(DayNames, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            return (DayOfWeek)index;
        }

        // Cron's day numbers, which Digdag accepts too: 0 is Sunday.
        if (text.Length == 1 && text[0] is >= '0' and <= '6')
        {
            return (DayOfWeek)(text[0] - '0');
        }

        var hint = DayNames.FirstOrDefault(name => text.Length > 3 && text.StartsWith(name, StringComparison.OrdinalIgnoreCase)) is { } prefix
            ? $"; did you mean '{prefix}'?"
            : Suggestions.DidYouMean(text, DayNames);
        diagnostics.Error(node.Location, $"weekly>: unknown day '{text}'; expected one of {string.Join(", ", DayNames)} (or 0-6, 0 is Sunday){hint}");
        return null;
    }

    private static MonthlyRule? ReadMonthly(ConfigNode node, DiagnosticBag diagnostics)
    {
        const string expected = "monthly>: expected D,HH:MM:SS, e.g. 1,09:00:00";
        if (Text(node) is not { } text || text.Split(',', 2) is not [var dayText, var timeText] || !TryNumber(dayText.Trim(), out var day))
        {
            diagnostics.Error(node.Location, $"{expected}, got {Describe(node)}");
            return null;
        }

        var at = ReadTimeOfDay(node, expected, timeText.Trim(), diagnostics);
        if (day is < 1 or > 31)
        {
            diagnostics.Error(node.Location, $"monthly>: day must be 1-31, got {day.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        if (day > 28)
        {
            diagnostics.Warning(node.Location, $"monthly>: not every month has day {day.ToString(CultureInfo.InvariantCulture)}; those months get no session");
        }

        return at is { } a ? new MonthlyRule(day, a) : null;
    }

    private static MinutesIntervalRule? ReadMinutesInterval(ConfigNode node, TimeSpan delay, DiagnosticBag diagnostics)
    {
        if (node is not ScalarNode scalar || !scalar.TryGetInteger(out var minutes) || minutes is < 1 or > 59)
        {
            var hint = node is ScalarNode s && s.TryGetInteger(out var m) && m >= 60 ? "; for longer intervals use hourly>, daily> or cron>" : string.Empty;
            diagnostics.Error(node.Location, $"minutes_interval>: expected a whole number of minutes from 1 to 59, e.g. 30, got {Describe(node)}{hint}");
            return null;
        }

        if (60 % minutes != 0)
        {
            var last = 59 / minutes * minutes;
            diagnostics.Warning(
                node.Location,
                $"minutes_interval>: {minutes.ToString(CultureInfo.InvariantCulture)} does not divide 60, so the interval restarts at the top of each hour (:{last.ToString("00", CultureInfo.InvariantCulture)} is followed by :00)");
        }

        return new MinutesIntervalRule((int)minutes, delay);
    }

    private static CronRule? ReadCron(ConfigNode node, TimeSpan delay, DiagnosticBag diagnostics)
    {
        if (Text(node) is not { } text)
        {
            diagnostics.Error(node.Location, $"cron>: expected a cron expression 'minute hour day-of-month month day-of-week', e.g. '42 4 1 * *', got {Describe(node)}");
            return null;
        }

        var expression = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var schedule = CrontabSchedule.TryParse<(CrontabSchedule? Schedule, string? Error)>(expression, value => (value, null), error => (null, error().Message));
        if (schedule.Schedule is null)
        {
            diagnostics.Error(node.Location, $"cron>: invalid cron expression '{text}': {schedule.Error}");
            return null;
        }

        // A pattern like "0 0 30 2 *" parses but never fires; 29 years hold every calendar a pattern can need.
        var probe = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        if (schedule.Schedule.GetNextOccurrence(probe, probe.AddYears(29)) >= probe.AddYears(29))
        {
            diagnostics.Error(node.Location, $"cron>: '{text}' never fires (no date matches it)");
            return null;
        }

        return new CronRule(expression, delay);
    }

    private static TimeSpan ReadDelay(MappingNode mapping, ConfigEntry? operatorEntry, DiagnosticBag diagnostics)
    {
        if (mapping.Find("delay") is not { } entry)
        {
            return TimeSpan.Zero;
        }

        if (operatorEntry is { Name: not ("cron>" or "minutes_interval>") })
        {
            diagnostics.Error(entry.Key.Location, $"schedule: delay: only applies to cron> and minutes_interval>; {operatorEntry.Name} takes its run time in its own value");
            return TimeSpan.Zero;
        }

        if (entry.Value is not ScalarNode scalar || !scalar.TryGetInteger(out var seconds) || seconds < 0 || seconds > (long)TimeSpan.MaxValue.TotalSeconds)
        {
            diagnostics.Error(entry.Value.Location, $"delay: expected a whole number of seconds, e.g. 3600, got {Describe(entry.Value)}");
            return TimeSpan.Zero;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static bool ReadBoolean(MappingNode mapping, string key, DiagnosticBag diagnostics)
    {
        if (mapping.Get(key) is not { } node)
        {
            return false;
        }

        if (node is ScalarNode scalar && scalar.TryGetBoolean(out var value))
        {
            return value;
        }

        diagnostics.Error(node.Location, $"{key}: expected true or false, got {Describe(node)}");
        return false;
    }

    private static DateOnly? ReadDate(MappingNode mapping, string key, DiagnosticBag diagnostics)
    {
        if (mapping.Get(key) is not { } node)
        {
            return null;
        }

        var text = Text(node);
        if (text is not null && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        var looksLikeDate = text is { Length: 10 } && text[4] == '-' && text[7] == '-';
        diagnostics.Error(
            node.Location,
            looksLikeDate ? $"{key}: '{text}' is not a date of the calendar" : $"{key}: expected a date YYYY-MM-DD, e.g. 2024-01-31, got {Describe(node)}");
        return null;
    }

    private static TimeSpan? ReadTimeOfDay(ConfigNode node, string expected, string? text, DiagnosticBag diagnostics)
    {
        if (text is null || Split(text, ':') is not [var h, var m, var s] || !TryNumber(h, out var hours) || !TryNumber(m, out var minutes) || !TryNumber(s, out var seconds))
        {
            diagnostics.Error(node.Location, $"{expected}, got {Describe(node)}");
            return null;
        }

        if (hours > 23 || minutes > 59 || seconds > 59)
        {
            diagnostics.Error(node.Location, $"{expected}, with hours 00-23 and minutes and seconds 00-59, got '{text}'");
            return null;
        }

        return new TimeSpan(hours, minutes, seconds);
    }

    private static string[] Split(string text, char separator) => text.Trim().Split(separator);

    // One or two digits, as in 7:05:00 or 07:05:00; Digdag reads each field as an integer.
    private static bool TryNumber(string text, out int value)
    {
        value = 0;
        return text.Length is 1 or 2
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string? Text(ConfigNode node) => node is ScalarNode { IsNull: false } scalar ? scalar.Value : null;

    private static string Describe(ConfigNode node) => Parsing.ValueReader.Show(node);

    private static int ErrorCount(DiagnosticBag diagnostics) => diagnostics.Items.Count(d => d.IsError);

    private static string UnknownKeyHint(string key)
    {
        var suggestion = Suggestions.DidYouMean(key, [.. Operators, .. Options]);
        return suggestion.Length > 0 || !key.EndsWith('>') ? suggestion : $"; schedule types are {OperatorList}";
    }
}
