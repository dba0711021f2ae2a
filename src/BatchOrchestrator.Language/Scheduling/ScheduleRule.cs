using System.Globalization;

namespace BatchOrchestrator.Language.Scheduling;

/// <summary>
/// When sessions happen, as Digdag defines it: each rule is a cron pattern giving session times in the workflow's
/// wall clock, plus a fixed <see cref="RunDelay"/> from session time to run time.
/// </summary>
public abstract record ScheduleRule
{
    private protected ScheduleRule()
    {
    }

    /// <summary>The schedule operator as written, e.g. <c>daily&gt;</c>.</summary>
    public abstract string OperatorName { get; }

    /// <summary>
    /// Run time minus session time. Elapsed time, like Digdag's: <c>daily&gt;: 10:00:00</c> runs ten hours after
    /// local midnight, which is 11:00 on a 23-hour spring-forward day and 09:00 on a 25-hour fall-back day.
    /// </summary>
    public abstract TimeSpan RunDelay { get; }

    /// <summary>The five-field cron pattern (minute hour day-of-month month day-of-week) of session times.</summary>
    public abstract string CronPattern { get; }

    /// <summary>
    /// Whether a wall-clock time that happens twice when clocks fall back fires both times. True for rules that
    /// fire every hour (each repeated hour is a real hour of work); false otherwise, so a daily job runs once.
    /// </summary>
    public virtual bool FiresInRepeatedHour => false;

    /// <summary>
    /// A short English description of the session times, without the time zone, e.g. <c>daily at 07:00:00</c> or
    /// <c>every 30 minutes</c>; a <c>delay:</c> is not part of it.
    /// </summary>
    public abstract string Describe();

    private protected static string Clock(TimeSpan at) => at.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
}

/// <summary><c>hourly&gt;: MM:SS</c> — a session at the start of every hour, run <see cref="At"/> later.</summary>
public sealed record HourlyRule(TimeSpan At) : ScheduleRule
{
    public override string OperatorName => "hourly>";

    public override TimeSpan RunDelay => At;

    public override string CronPattern => "0 * * * *";

    public override bool FiresInRepeatedHour => true;

    public override string Describe() => $"hourly at {At.ToString(@"mm\:ss", CultureInfo.InvariantCulture)} past the hour";
}

/// <summary><c>daily&gt;: HH:MM:SS</c> — a session at local midnight, run <see cref="At"/> later.</summary>
public sealed record DailyRule(TimeSpan At) : ScheduleRule
{
    public override string OperatorName => "daily>";

    public override TimeSpan RunDelay => At;

    public override string CronPattern => "0 0 * * *";

    public override string Describe() => $"daily at {Clock(At)}";
}

/// <summary><c>weekly&gt;: DDD,HH:MM:SS</c> — a session at midnight of <see cref="Day"/>, run <see cref="At"/> later.</summary>
public sealed record WeeklyRule(DayOfWeek Day, TimeSpan At) : ScheduleRule
{
    public override string OperatorName => "weekly>";

    public override TimeSpan RunDelay => At;

    public override string CronPattern => $"0 0 * * {(int)Day}";

    public override string Describe() => $"weekly on {Day} at {Clock(At)}";
}

/// <summary>
/// <c>monthly&gt;: D,HH:MM:SS</c> — a session at midnight of day <see cref="Day"/>, run <see cref="At"/> later.
/// Months without that day have no session, as in Digdag.
/// </summary>
public sealed record MonthlyRule(int Day, TimeSpan At) : ScheduleRule
{
    public override string OperatorName => "monthly>";

    public override TimeSpan RunDelay => At;

    public override string CronPattern => $"0 0 {Day.ToString(CultureInfo.InvariantCulture)} * *";

    public override string Describe() => $"monthly on day {Day.ToString(CultureInfo.InvariantCulture)} at {Clock(At)}";
}

/// <summary>
/// <c>minutes_interval&gt;: M</c> — sessions at minutes 0, M, 2M, ... of every hour (cron <c>*/M</c>, so the
/// interval restarts each hour when M does not divide 60), run <see cref="Delay"/> later.
/// </summary>
public sealed record MinutesIntervalRule(int Minutes, TimeSpan Delay) : ScheduleRule
{
    public override string OperatorName => "minutes_interval>";

    public override TimeSpan RunDelay => Delay;

    public override string CronPattern => $"*/{Minutes.ToString(CultureInfo.InvariantCulture)} * * * *";

    public override bool FiresInRepeatedHour => true;

    public override string Describe() =>
        Minutes == 1 ? "every minute" : $"every {Minutes.ToString(CultureInfo.InvariantCulture)} minutes";
}

/// <summary><c>cron&gt;: '42 4 1 * *'</c> — sessions at each match of <see cref="Expression"/>, run <see cref="Delay"/> later.</summary>
public sealed record CronRule(string Expression, TimeSpan Delay) : ScheduleRule
{
    public override string OperatorName => "cron>";

    public override TimeSpan RunDelay => Delay;

    public override string CronPattern => Expression;

    /// <summary>True when the hour field is <c>*</c>: such a pattern means "every hour", including a repeated one.</summary>
    public override bool FiresInRepeatedHour =>
        Expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is [_, "*", ..];

    public override string Describe() => $"cron '{Expression}'";
}
