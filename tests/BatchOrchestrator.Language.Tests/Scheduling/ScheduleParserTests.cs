using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Scheduling;

namespace BatchOrchestrator.Language.Tests.Scheduling;

[TestClass]
public sealed class ScheduleParserTests
{
    [TestMethod]
    public void Each_schedule_operator_gives_its_rule()
    {
        Assert.AreEqual(new HourlyRule(new TimeSpan(0, 30, 0)), Parse("hourly>: 30:00").Rule);
        Assert.AreEqual(new DailyRule(new TimeSpan(7, 0, 0)), Parse("daily>: 07:00:00").Rule);
        Assert.AreEqual(new WeeklyRule(DayOfWeek.Sunday, new TimeSpan(9, 0, 0)), Parse("weekly>: Sun,09:00:00").Rule);
        Assert.AreEqual(new MonthlyRule(1, new TimeSpan(9, 0, 0)), Parse("monthly>: 1,09:00:00").Rule);
        Assert.AreEqual(new MinutesIntervalRule(30, TimeSpan.Zero), Parse("minutes_interval>: 30").Rule);
        Assert.AreEqual(new CronRule("42 4 1 * *", TimeSpan.Zero), Parse("cron>: '42 4 1 * *'").Rule);
    }

    [TestMethod]
    public void Options_are_read_with_their_types()
    {
        var schedule = Parse("""
            cron>: '*/5 * * * *'
            delay: 60
            skip_on_overtime: true
            skip_delayed_by: 3m
            start: 2024-01-01
            end: 2024-12-31
            """);

        Assert.AreEqual(new CronRule("*/5 * * * *", TimeSpan.FromSeconds(60)), schedule.Rule);
        Assert.IsTrue(schedule.SkipOnOvertime);
        Assert.AreEqual(TimeSpan.FromMinutes(3), schedule.SkipDelayedBy);
        Assert.AreEqual(new DateOnly(2024, 1, 1), schedule.Start);
        Assert.AreEqual(new DateOnly(2024, 12, 31), schedule.End);
        Assert.AreEqual(new SourceLocation(TestYaml.File, 3, 3), schedule.Location);
    }

    [TestMethod]
    public void Options_default_to_no_skipping_and_no_bounds()
    {
        var schedule = Parse("daily>: 07:00:00");

        Assert.IsFalse(schedule.SkipOnOvertime);
        Assert.IsNull(schedule.SkipDelayedBy);
        Assert.IsNull(schedule.Start);
        Assert.IsNull(schedule.End);
    }

    [TestMethod]
    [DataRow("sun,09:00:00", DayOfWeek.Sunday)]
    [DataRow("MON,09:00:00", DayOfWeek.Monday)]
    [DataRow("Sat, 09:00:00", DayOfWeek.Saturday)]
    [DataRow("0,09:00:00", DayOfWeek.Sunday)]
    [DataRow("3,09:00:00", DayOfWeek.Wednesday)]
    public void Weekly_days_are_case_insensitive_names_or_cron_numbers(string value, DayOfWeek day)
    {
        Assert.AreEqual(new WeeklyRule(day, new TimeSpan(9, 0, 0)), Parse($"weekly>: '{value}'").Rule);
    }

    [TestMethod]
    public void Single_digit_clock_fields_are_accepted_as_in_digdag()
    {
        Assert.AreEqual(new DailyRule(new TimeSpan(7, 5, 0)), Parse("daily>: '7:05:00'").Rule);
    }

    [TestMethod]
    [DataRow("daily>: 7am", "wf.dig:3:11: daily>: expected HH:MM:SS, e.g. 07:00:00, got '7am'")]
    [DataRow("daily>: 07:00", "wf.dig:3:11: daily>: expected HH:MM:SS, e.g. 07:00:00, got '07:00'")]
    [DataRow("daily>: 25:00:00", "wf.dig:3:11: daily>: expected HH:MM:SS, e.g. 07:00:00, with hours 00-23 and minutes and seconds 00-59, got '25:00:00'")]
    [DataRow("daily>:", "wf.dig:3:10: daily>: expected HH:MM:SS, e.g. 07:00:00, got nothing")]
    [DataRow("hourly>: 07:00:00", "wf.dig:3:12: hourly>: expected MM:SS, e.g. 30:00, got '07:00:00'")]
    [DataRow("hourly>: 75:00", "wf.dig:3:12: hourly>: expected MM:SS, e.g. 30:00, with minutes and seconds 00-59, got '75:00'")]
    [DataRow("weekly>: 09:00:00", "wf.dig:3:12: weekly>: expected DDD,HH:MM:SS, e.g. Sun,09:00:00, got '09:00:00'")]
    [DataRow("weekly>: Sunday,09:00:00", "wf.dig:3:12: weekly>: unknown day 'Sunday'; expected one of Sun, Mon, Tue, Wed, Thu, Fri, Sat (or 0-6, 0 is Sunday); did you mean 'Sun'?")]
    [DataRow("weekly>: Snu,09:00:00", "wf.dig:3:12: weekly>: unknown day 'Snu'; expected one of Sun, Mon, Tue, Wed, Thu, Fri, Sat (or 0-6, 0 is Sunday); did you mean 'Sun'?")]
    [DataRow("monthly>: 32,09:00:00", "wf.dig:3:13: monthly>: day must be 1-31, got 32")]
    [DataRow("monthly>: last,09:00:00", "wf.dig:3:13: monthly>: expected D,HH:MM:SS, e.g. 1,09:00:00, got 'last,09:00:00'")]
    [DataRow("minutes_interval>: 0", "wf.dig:3:22: minutes_interval>: expected a whole number of minutes from 1 to 59, e.g. 30, got '0'")]
    [DataRow("minutes_interval>: 90", "wf.dig:3:22: minutes_interval>: expected a whole number of minutes from 1 to 59, e.g. 30, got '90'; for longer intervals use hourly>, daily> or cron>")]
    [DataRow("minutes_interval>: 5m", "wf.dig:3:22: minutes_interval>: expected a whole number of minutes from 1 to 59, e.g. 30, got '5m'")]
    public void A_malformed_value_says_what_was_expected_at_the_value(string line, string expected)
    {
        Assert.AreEqual(expected, SingleError(line));
    }

    [TestMethod]
    public void An_invalid_cron_expression_reports_the_cron_parser_s_reason()
    {
        var message = SingleError("cron>: '61 * * * *'");

        Assert.StartsWith("wf.dig:3:10: cron>: invalid cron expression '61 * * * *': ", message);
        Assert.Contains("61", message["wf.dig:3:10: cron>: invalid cron expression '61 * * * *': ".Length..]);
    }

    [TestMethod]
    public void A_cron_expression_with_the_wrong_number_of_fields_says_how_many_it_needs()
    {
        var message = SingleError("cron>: '0 0 4 * * *'");

        Assert.Contains("5 components", message);
    }

    [TestMethod]
    public void Cron_accepts_month_and_day_names_and_normalises_spacing()
    {
        Assert.AreEqual(new CronRule("0 9 * jan-mar mon-fri", TimeSpan.Zero), Parse("cron>: '0  9 * jan-mar mon-fri'").Rule);
    }

    [TestMethod]
    public void A_cron_expression_that_never_fires_is_an_error()
    {
        Assert.AreEqual("wf.dig:3:10: cron>: '0 0 30 2 *' never fires (no date matches it)", SingleError("cron>: '0 0 30 2 *'"));
    }

    [TestMethod]
    public void Two_schedule_operators_are_an_error_at_the_second()
    {
        Assert.AreEqual(
            "wf.dig:4:3: schedule: has both daily> and cron>; a schedule takes exactly one of hourly>, daily>, weekly>, monthly>, minutes_interval> or cron>",
            SingleError("daily>: 07:00:00\ncron>: '0 7 * * *'"));
    }

    [TestMethod]
    public void A_schedule_without_an_operator_is_an_error_at_the_schedule()
    {
        Assert.AreEqual(
            "wf.dig:3:3: schedule: needs one of hourly>, daily>, weekly>, monthly>, minutes_interval> or cron>, e.g. 'daily>: 07:00:00'",
            SingleError("skip_on_overtime: true"));
    }

    [TestMethod]
    public void A_schedule_that_is_not_a_mapping_is_an_error()
    {
        var diagnostics = new DiagnosticBag();

        Assert.IsNull(ScheduleParser.Parse(TestYaml.Schedule("timezone: UTC\nschedule: daily\n"), diagnostics));
        Assert.AreEqual(
            "wf.dig:2:11: schedule: expected a mapping with one of hourly>, daily>, weekly>, monthly>, minutes_interval> or cron>, e.g. 'daily>: 07:00:00', got 'daily'",
            diagnostics.Items.Single().ToString());
    }

    [TestMethod]
    [DataRow("skip_on_over_time: true", "wf.dig:4:3: schedule: unknown schedule option 'skip_on_over_time'; did you mean 'skip_on_overtime'?")]
    [DataRow("dealy: 60", "wf.dig:4:3: schedule: unknown schedule option 'dealy'; did you mean 'delay'?")]
    [DataRow("colour: red", "wf.dig:4:3: schedule: unknown schedule option 'colour'")]
    public void An_unknown_key_is_an_error_with_a_suggestion(string line, string expected)
    {
        Assert.AreEqual(expected, SingleError("cron>: '0 7 * * *'\n" + line));
    }

    [TestMethod]
    public void An_unknown_schedule_type_suggests_the_nearest_one()
    {
        var diagnostics = new DiagnosticBag();

        Assert.IsNull(ScheduleParser.Parse(Schedule("dialy>: 07:00:00"), diagnostics));

        Assert.AreSequenceEqual(
            [
                "wf.dig:3:3: schedule: unknown schedule type 'dialy>'; did you mean 'daily>'?",
            ],
            diagnostics.Items.Select(d => d.ToString()).ToArray());
    }

    [TestMethod]
    [DataRow("skip_on_overtime: yes", "wf.dig:4:21: skip_on_overtime: expected true or false, got 'yes'")]
    [DataRow("skip_delayed_by: 3 minutes", "wf.dig:4:20: skip_delayed_by: expected a duration like 30s, 3m, 1h 30m or 2d (units d, h, m, s, in that order), got '3 minutes'")]
    [DataRow("start: 2024/01/31", "wf.dig:4:10: start: expected a date YYYY-MM-DD, e.g. 2024-01-31, got '2024/01/31'")]
    [DataRow("end: 2023-02-30", "wf.dig:4:8: end: '2023-02-30' is not a date of the calendar")]
    [DataRow("delay: 1h", "wf.dig:4:10: delay: expected a whole number of seconds, e.g. 3600, got '1h'")]
    [DataRow("delay: -5", "wf.dig:4:10: delay: expected a whole number of seconds, e.g. 3600, got '-5'")]
    public void A_malformed_option_says_what_was_expected(string line, string expected)
    {
        Assert.AreEqual(expected, SingleError("cron>: '0 7 * * *'\n" + line));
    }

    [TestMethod]
    public void Delay_only_applies_to_cron_and_minutes_interval()
    {
        Assert.AreEqual(
            "wf.dig:4:3: schedule: delay: only applies to cron> and minutes_interval>; daily> takes its run time in its own value",
            SingleError("daily>: 07:00:00\ndelay: 60"));
        Assert.AreEqual(new MinutesIntervalRule(15, TimeSpan.FromSeconds(30)), Parse("minutes_interval>: 15\ndelay: 30").Rule);
    }

    [TestMethod]
    public void An_end_before_the_start_is_an_error_at_the_end()
    {
        Assert.AreEqual(
            "wf.dig:5:8: end: 2024-01-01 is before start: 2024-02-01; the schedule would never run",
            SingleError("daily>: 07:00:00\nstart: 2024-02-01\nend: 2024-01-01"));
        Assert.AreEqual(new DateOnly(2024, 2, 1), Parse("daily>: 07:00:00\nstart: 2024-02-01\nend: 2024-02-01").End);
    }

    [TestMethod]
    public void Every_problem_is_reported_at_once()
    {
        var diagnostics = new DiagnosticBag();

        Assert.IsNull(ScheduleParser.Parse(Schedule("daily>: 7am\nskip_on_overtime: maybe\nstart: tomorrow"), diagnostics));

        Assert.AreSequenceEqual(
            [
                "wf.dig:3:11: daily>: expected HH:MM:SS, e.g. 07:00:00, got '7am'",
                "wf.dig:4:21: skip_on_overtime: expected true or false, got 'maybe'",
                "wf.dig:5:10: start: expected a date YYYY-MM-DD, e.g. 2024-01-31, got 'tomorrow'",
            ],
            diagnostics.Sorted().Select(d => d.ToString()).ToArray());
    }

    [TestMethod]
    public void Day_29_to_31_of_monthly_warns_that_some_months_have_no_session()
    {
        var diagnostics = new DiagnosticBag();

        Assert.IsNotNull(ScheduleParser.Parse(Schedule("monthly>: 31,09:00:00"), diagnostics));

        Assert.AreEqual("wf.dig:3:13: warning: monthly>: not every month has day 31; those months get no session", diagnostics.Items.Single().ToString());
    }

    [TestMethod]
    public void A_minutes_interval_that_does_not_divide_an_hour_warns_how_it_behaves()
    {
        var diagnostics = new DiagnosticBag();

        Assert.IsNotNull(ScheduleParser.Parse(Schedule("minutes_interval>: 7"), diagnostics));

        Assert.AreEqual(
            "wf.dig:3:22: warning: minutes_interval>: 7 does not divide 60, so the interval restarts at the top of each hour (:56 is followed by :00)",
            diagnostics.Items.Single().ToString());
    }

    private static BatchOrchestrator.Language.Syntax.ConfigNode Schedule(string body) => TestYaml.Schedule($"timezone: UTC\nschedule:\n  {body.ReplaceLineEndings("\n  ")}\n");

    private static ScheduleDefinition Parse(string body)
    {
        var diagnostics = new DiagnosticBag();
        var schedule = ScheduleParser.Parse(Schedule(body), diagnostics);
        Assert.IsEmpty(diagnostics.Items, string.Join("\n", diagnostics.Items));
        return schedule!;
    }

    private static string SingleError(string body)
    {
        var diagnostics = new DiagnosticBag();
        Assert.IsNull(ScheduleParser.Parse(Schedule(body), diagnostics));
        Assert.HasCount(1, diagnostics.Items, string.Join("\n", diagnostics.Items));
        return diagnostics.Items[0].ToString();
    }
}
