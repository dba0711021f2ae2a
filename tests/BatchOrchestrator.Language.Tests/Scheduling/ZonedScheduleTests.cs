using System.Globalization;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Scheduling;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Language.Tests.Scheduling;

/// <summary>
/// Session and run times, written as "session → run" in the workflow's wall clock with its offset. Cases marked
/// "Digdag" are the ones Digdag's documentation or its scheduler tests state.
/// </summary>
[TestClass]
public sealed class ZonedScheduleTests
{
    [TestMethod]
    [DataRow("hourly>: '32:32'", "2019-02-24 14:00:00 +09:00 → 2019-02-24 14:32:32 +09:00")]
    [DataRow("daily>: '10:32:32'", "2019-02-25 00:00:00 +09:00 → 2019-02-25 10:32:32 +09:00")]
    [DataRow("weekly>: '2,10:32:32'", "2019-02-26 00:00:00 +09:00 → 2019-02-26 10:32:32 +09:00")]
    [DataRow("monthly>: '2,10:32:32'", "2019-03-02 00:00:00 +09:00 → 2019-03-02 10:32:32 +09:00")]
    public void The_first_session_is_the_first_whose_run_time_has_not_passed_Digdag(string rule, string expected)
    {
        Assert.AreEqual(expected, Show(Schedule(rule, "Asia/Tokyo").GetFirstScheduleTime(At("2019-02-24 14:20:10 +09:00"))));
    }

    [TestMethod]
    public void A_run_time_equal_to_now_is_still_first_Digdag()
    {
        var daily = Schedule("daily>: 10:00:00", "UTC");

        Assert.AreEqual("2016-02-03 00:00:00 +00:00 → 2016-02-03 10:00:00 +00:00", Show(daily.GetFirstScheduleTime(At("2016-02-03 10:00:00 +00:00"))));
        Assert.AreEqual("2016-02-04 00:00:00 +00:00 → 2016-02-04 10:00:00 +00:00", Show(daily.GetFirstScheduleTime(At("2016-02-03 10:00:01 +00:00"))));
    }

    [TestMethod]
    public void Next_session_follows_any_instant_not_only_session_times_Digdag()
    {
        var daily = Schedule("daily>: 10:11:23", "America/Los_Angeles");

        Assert.AreEqual("2016-03-03 00:00:00 -08:00 → 2016-03-03 10:11:23 -08:00", Show(daily.NextScheduleTime(At("2016-03-02 12:34:56 -08:00"))));
    }

    [TestMethod]
    public void Daily_run_time_is_elapsed_time_after_midnight_so_it_moves_on_a_switch_day_Digdag()
    {
        // Digdag: "daily> 10:00:00 means 10 hours later than 00:00:00"; 00:00 -08:00 plus 10 hours is 11:00 -07:00.
        var daily = Schedule("daily>: 10:00:00", "America/Los_Angeles");

        Assert.AreEqual("2016-03-13 00:00:00 -08:00 → 2016-03-13 11:00:00 -07:00", Show(daily.GetFirstScheduleTime(At("2016-03-13 09:00:00 -07:00"))));
        Assert.AreEqual("2016-03-14 00:00:00 -07:00 → 2016-03-14 10:00:00 -07:00", Show(daily.NextScheduleTime(At("2016-03-13 00:00:00 -08:00"))));
        Assert.AreEqual("2016-11-06 00:00:00 -07:00 → 2016-11-06 09:00:00 -08:00", Show(daily.NextScheduleTime(At("2016-11-05 00:00:00 -07:00"))));
    }

    [TestMethod]
    public void Daily_session_times_are_local_midnight_every_day_across_a_23_hour_day()
    {
        var sessions = Schedule("daily>: 07:00:00", "Europe/Berlin").GetUpcoming(At("2024-03-29 00:00:00 +01:00"), 4);

        AssertSessions(["2024-03-29 00:00:00 +01:00", "2024-03-30 00:00:00 +01:00", "2024-03-31 00:00:00 +01:00", "2024-04-01 00:00:00 +02:00"], sessions);
        Assert.AreEqual(TimeSpan.FromHours(23), sessions[3].SessionTime - sessions[2].SessionTime);
    }

    [TestMethod]
    public void Daily_session_times_are_local_midnight_every_day_across_a_25_hour_day()
    {
        var sessions = Schedule("daily>: 07:00:00", "Europe/Berlin").GetUpcoming(At("2024-10-26 00:00:00 +02:00"), 3);

        AssertSessions(["2024-10-26 00:00:00 +02:00", "2024-10-27 00:00:00 +02:00", "2024-10-28 00:00:00 +01:00"], sessions);
        Assert.AreEqual(TimeSpan.FromHours(25), sessions[2].SessionTime - sessions[1].SessionTime);
    }

    [TestMethod]
    public void Daily_session_times_are_local_midnight_across_both_los_angeles_switches()
    {
        var daily = Schedule("daily>: 00:00:00", "America/Los_Angeles");

        AssertSessions(
            ["2016-03-12 00:00:00 -08:00", "2016-03-13 00:00:00 -08:00", "2016-03-14 00:00:00 -07:00"],
            daily.GetUpcoming(At("2016-03-12 00:00:00 -08:00"), 3));
        AssertSessions(
            ["2016-11-05 00:00:00 -07:00", "2016-11-06 00:00:00 -07:00", "2016-11-07 00:00:00 -08:00"],
            daily.GetUpcoming(At("2016-11-05 00:00:00 -07:00"), 3));
    }

    [TestMethod]
    public void A_time_in_the_spring_forward_gap_moves_forward_by_the_gap()
    {
        AssertSessions(
            ["2024-03-30 02:30:00 +01:00", "2024-03-31 03:30:00 +02:00", "2024-04-01 02:30:00 +02:00"],
            Schedule("cron>: '30 2 * * *'", "Europe/Berlin").GetUpcoming(At("2024-03-30 00:00:00 +01:00"), 3));

        // daily> reaches the same wall-clock time: 2h30m after a midnight that is still on winter time.
        Assert.AreEqual(
            "2016-03-13 00:00:00 -08:00 → 2016-03-13 03:30:00 -07:00",
            Show(Schedule("daily>: 02:30:00", "America/Los_Angeles").NextScheduleTime(At("2016-03-12 00:00:00 -08:00"))));
    }

    [TestMethod]
    public void A_time_in_the_fall_back_overlap_fires_once_at_its_earlier_offset()
    {
        AssertSessions(
            ["2016-11-05 01:30:00 -07:00", "2016-11-06 01:30:00 -07:00", "2016-11-07 01:30:00 -08:00"],
            Schedule("cron>: '30 1 * * *'", "America/Los_Angeles").GetUpcoming(At("2016-11-05 00:00:00 -07:00"), 3));

        // Also when counting from inside the repeated hour.
        Assert.AreEqual(
            "2016-11-07 01:30:00 -08:00 → 2016-11-07 01:30:00 -08:00",
            Show(Schedule("cron>: '30 1 * * *'", "America/Los_Angeles").NextScheduleTime(At("2016-11-06 01:10:00 -08:00"))));
    }

    [TestMethod]
    public void Hourly_has_a_session_for_every_real_hour_across_both_switches()
    {
        var hourly = Schedule("hourly>: '05:00'", "America/Los_Angeles");

        AssertSessions(
            ["2016-03-13 00:00:00 -08:00", "2016-03-13 01:00:00 -08:00", "2016-03-13 03:00:00 -07:00", "2016-03-13 04:00:00 -07:00"],
            hourly.GetUpcoming(At("2016-03-13 00:00:00 -08:00"), 4));
        AssertSessions(
            ["2016-11-06 00:00:00 -07:00", "2016-11-06 01:00:00 -07:00", "2016-11-06 01:00:00 -08:00", "2016-11-06 02:00:00 -08:00"],
            hourly.GetUpcoming(At("2016-11-06 00:00:00 -07:00"), 4));
    }

    [TestMethod]
    public void Minutes_interval_keeps_its_rhythm_in_real_time_across_both_switches()
    {
        var halfHourly = Schedule("minutes_interval>: 30", "America/Los_Angeles");

        AssertSessions(
            ["2016-03-13 01:00:00 -08:00", "2016-03-13 01:30:00 -08:00", "2016-03-13 03:00:00 -07:00", "2016-03-13 03:30:00 -07:00"],
            halfHourly.GetUpcoming(At("2016-03-13 01:00:00 -08:00"), 4));
        AssertSessions(
            ["2016-11-06 01:00:00 -07:00", "2016-11-06 01:30:00 -07:00", "2016-11-06 01:00:00 -08:00", "2016-11-06 01:30:00 -08:00", "2016-11-06 02:00:00 -08:00"],
            halfHourly.GetUpcoming(At("2016-11-06 01:00:00 -07:00"), 5));
    }

    [TestMethod]
    public void Cron_times_skipped_by_the_gap_become_one_session_at_its_end()
    {
        AssertSessions(
            ["2016-03-13 01:45:00 -08:00", "2016-03-13 03:00:00 -07:00", "2016-03-13 03:15:00 -07:00"],
            Schedule("cron>: '*/15 * * * *'", "America/Los_Angeles").GetUpcoming(At("2016-03-13 01:45:00 -08:00"), 3));
    }

    [TestMethod]
    public void Cron_session_time_is_the_fire_time_and_delay_moves_the_run_time()
    {
        var cron = Schedule("cron>: '0 16 * * *'\n  delay: 3600", "Asia/Tokyo");

        Assert.AreEqual("2024-05-01 16:00:00 +09:00 → 2024-05-01 17:00:00 +09:00", Show(cron.GetFirstScheduleTime(At("2024-05-01 16:30:00 +09:00"))));
        Assert.AreEqual("2024-05-02 16:00:00 +09:00 → 2024-05-02 17:00:00 +09:00", Show(cron.NextScheduleTime(At("2024-05-01 16:00:00 +09:00"))));
    }

    [TestMethod]
    public void Last_schedule_time_is_the_previous_session()
    {
        Assert.AreEqual(
            "2015-12-31 00:00:00 +00:00 → 2015-12-31 10:00:00 +00:00",
            Show(Schedule("daily>: 10:00:00", "UTC").LastScheduleTime(At("2016-01-01 00:00:00 +00:00"))));
        Assert.AreEqual(
            "2016-03-13 00:00:00 -08:00 → 2016-03-13 11:00:00 -07:00",
            Show(Schedule("daily>: 10:00:00", "America/Los_Angeles").LastScheduleTime(At("2016-03-14 00:00:00 -07:00"))));
        Assert.AreEqual(
            "2016-02-01 00:00:00 +09:00 → 2016-02-01 09:00:00 +09:00",
            Show(Schedule("monthly>: 1,09:00:00", "Asia/Tokyo").LastScheduleTime(At("2016-03-01 00:00:00 +09:00"))));
        Assert.AreEqual(
            "2020-02-29 00:00:00 +00:00 → 2020-02-29 00:00:00 +00:00",
            Show(Schedule("cron>: '0 0 29 2 *'", "UTC").LastScheduleTime(At("2024-02-29 00:00:00 +00:00"))));
    }

    [TestMethod]
    public void Last_schedule_time_walks_back_through_a_repeated_hour()
    {
        var hourly = Schedule("hourly>: '00:00'", "America/Los_Angeles");

        Assert.AreEqual("2016-11-06 01:00:00 -08:00", Session(hourly.LastScheduleTime(At("2016-11-06 02:00:00 -08:00"))));
        Assert.AreEqual("2016-11-06 01:00:00 -07:00", Session(hourly.LastScheduleTime(At("2016-11-06 01:00:00 -08:00"))));
        Assert.AreEqual("2016-03-13 01:00:00 -08:00", Session(hourly.LastScheduleTime(At("2016-03-13 03:00:00 -07:00"))));
    }

    [TestMethod]
    public void Start_and_end_bound_session_dates_inclusively_Digdag()
    {
        var daily = Schedule("daily>: 10:00:00\n  start: 2016-03-01\n  end: 2016-03-31", "UTC");

        Assert.AreEqual("2016-03-01 00:00:00 +00:00 → 2016-03-01 10:00:00 +00:00", Show(daily.GetFirstScheduleTime(At("2016-02-03 09:59:59 +00:00"))));
        Assert.AreEqual("2016-03-01 00:00:00 +00:00 → 2016-03-01 10:00:00 +00:00", Show(daily.NextScheduleTime(At("2016-02-03 10:00:00 +00:00"))));
        Assert.AreEqual("2016-03-31 00:00:00 +00:00 → 2016-03-31 10:00:00 +00:00", Show(daily.GetFirstScheduleTime(At("2016-03-31 10:00:00 +00:00"))));
        Assert.IsNull(daily.GetFirstScheduleTime(At("2016-03-31 10:00:01 +00:00")));
        Assert.IsNull(daily.NextScheduleTime(At("2016-03-31 00:00:00 +00:00")));
        Assert.HasCount(2, daily.GetUpcoming(At("2016-03-30 00:00:00 +00:00"), 10));
    }

    [TestMethod]
    public void Start_and_end_are_dates_in_the_workflow_time_zone()
    {
        var hourly = Schedule("hourly>: '00:00'\n  start: 2024-06-01\n  end: 2024-06-01", "Asia/Tokyo");

        var sessions = hourly.GetUpcoming(At("2024-05-01 00:00:00 +00:00"), 100);

        Assert.HasCount(24, sessions);
        Assert.AreEqual("2024-06-01 00:00:00 +09:00", Session(sessions[0]));
        Assert.AreEqual("2024-06-01 23:00:00 +09:00", Session(sessions[^1]));
    }

    [TestMethod]
    public void Due_sessions_after_downtime_are_started_unless_later_than_skip_delayed_by_Digdag()
    {
        // Digdag: back at 20:00:00 with skip_delayed_by: 3m, the sessions from 19:57 on are created, earlier ones are not.
        var everyMinute = Schedule("minutes_interval>: 1\n  skip_delayed_by: 3m", "UTC");

        var due = everyMinute.GetDueSessions(At("2024-05-01 19:50:00 +00:00"), At("2024-05-01 20:00:00 +00:00")).ToList();

        Assert.AreSequenceEqual(
            [
                "19:51 SkipDelayed", "19:52 SkipDelayed", "19:53 SkipDelayed", "19:54 SkipDelayed", "19:55 SkipDelayed", "19:56 SkipDelayed",
                "19:57 Start", "19:58 Start", "19:59 Start", "20:00 Start",
            ],
            due.Select(d => $"{d.Time.SessionTime:HH:mm} {d.Action}").ToArray());
    }

    [TestMethod]
    public void Without_skip_delayed_by_every_missed_session_is_started_oldest_first()
    {
        var daily = Schedule("daily>: 07:00:00", "Asia/Tokyo");

        var due = daily.GetDueSessions(At("2024-05-01 07:00:00 +09:00"), At("2024-05-04 06:59:59 +09:00")).ToList();

        Assert.AreSequenceEqual(["2024-05-02", "2024-05-03"], due.Select(d => d.Time.SessionTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray());
        Assert.IsTrue(due.All(d => d.Action == DueAction.Start));
    }

    [TestMethod]
    public void Due_sessions_stop_at_the_end_date()
    {
        var daily = Schedule("daily>: 07:00:00\n  end: 2024-05-02", "UTC");

        Assert.HasCount(2, daily.GetDueSessions(At("2024-04-30 12:00:00 +00:00"), At("2024-06-01 00:00:00 +00:00")));
    }

    [TestMethod]
    public void Skip_on_overtime_is_passed_to_the_server_as_data()
    {
        Assert.IsTrue(Schedule("daily>: 07:00:00\n  skip_on_overtime: true", "UTC").SkipOnOvertime);
        Assert.IsFalse(Schedule("daily>: 07:00:00", "UTC").SkipOnOvertime);
    }

    [TestMethod]
    public void Upcoming_lists_the_next_sessions_in_order()
    {
        var weekly = Schedule("weekly>: Mon,09:00:00", "Asia/Tokyo");

        AssertSessions(
            ["2024-05-06 00:00:00 +09:00", "2024-05-13 00:00:00 +09:00", "2024-05-20 00:00:00 +09:00"],
            weekly.GetUpcoming(At("2024-05-01 00:00:00 +09:00"), 3));
        Assert.IsEmpty(weekly.GetUpcoming(At("2024-05-01 00:00:00 +09:00"), 0));
    }

    [TestMethod]
    public void A_fixed_offset_time_zone_works_like_any_other()
    {
        Assert.AreEqual(
            "2024-05-02 00:00:00 +05:30 → 2024-05-02 07:00:00 +05:30",
            Show(Schedule("daily>: 07:00:00", "+05:30").GetFirstScheduleTime(At("2024-05-01 08:00:00 +05:30"))));
    }

    [TestMethod]
    [DataRow("daily>: 07:00:00", "Asia/Tokyo", "daily at 07:00:00 Asia/Tokyo")]
    [DataRow("hourly>: '30:00'", "UTC", "hourly at 30:00 past the hour UTC")]
    [DataRow("weekly>: sun,09:00:00", "UTC", "weekly on Sunday at 09:00:00 UTC")]
    [DataRow("monthly>: 1,09:00:00", "UTC", "monthly on day 1 at 09:00:00 UTC")]
    [DataRow("minutes_interval>: 30", "UTC", "every 30 minutes UTC")]
    [DataRow("cron>: '42 4 1 * *'\n  delay: 90", "Europe/Berlin", "cron '42 4 1 * *' Europe/Berlin, run 1m 30s after the session time")]
    [DataRow(
        "daily>: 07:00:00\n  start: 2024-01-01\n  end: 2024-12-31\n  skip_delayed_by: 3m\n  skip_on_overtime: true",
        "UTC",
        "daily at 07:00:00 UTC, from 2024-01-01 to 2024-12-31, skip if delayed by 3m, skip on overtime")]
    [DataRow("daily>: 07:00:00\n  end: 2024-12-31", "UTC", "daily at 07:00:00 UTC, until 2024-12-31")]
    public void Describe_gives_one_line_for_bo_check(string body, string zone, string expected)
    {
        Assert.AreEqual(expected, Schedule(body, zone).Describe());
    }

    private static ZonedSchedule Schedule(string body, string zoneId)
    {
        var diagnostics = new DiagnosticBag();
        var definition = ScheduleParser.Parse(TestYaml.Schedule($"schedule:\n  {body}\n"), diagnostics);
        Assert.IsNotNull(definition, string.Join("\n", diagnostics.Items));
        Assert.IsTrue(WorkflowTimeZone.TryResolve(zoneId, out var zone), zoneId);
        return new ZonedSchedule(definition, zone);
    }

    private static DateTimeOffset At(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static string Format(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static string Show(ScheduleTime? time) => time is null ? "none" : $"{Format(time.SessionTime)} → {Format(time.RunTime)}";

    private static string Session(ScheduleTime time) => Format(time.SessionTime);

    private static void AssertSessions(string[] expected, IReadOnlyList<ScheduleTime> actual) =>
        Assert.AreSequenceEqual(expected, actual.Select(Session).ToArray());
}
