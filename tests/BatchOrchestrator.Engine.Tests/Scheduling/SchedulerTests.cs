using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using static BatchOrchestrator.Engine.Tests.Scheduling.SchedulerHarness;

namespace BatchOrchestrator.Engine.Tests.Scheduling;

/// <summary>The scheduler's tick on the real local engine, with the time given to each tick.</summary>
[TestClass]
public sealed class SchedulerTests
{
    private const string Daily = """
        timezone: UTC
        schedule:
          daily>: 07:00:00
        +t:
          sh>: echo "${session_date}" >> runs.txt
        """;

    [TestMethod]
    public async Task A_due_session_starts_once_however_often_the_scheduler_ticks()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("daily.dig", Daily);

        var before = await harness.TickAsync(Utc(21, 6, 59));
        var due = await harness.TickAsync(Utc(21, 7, 0, 20));
        var again = await harness.TickAsync(Utc(21, 7, 1));
        var later = await harness.TickAsync(Utc(21, 12, 0));

        Assert.IsEmpty(before.Decisions);
        var started = due.Decisions.Single();
        Assert.AreEqual((SessionOutcome.Started, Utc(21, 0)), (started.Outcome, started.SessionTime));
        Assert.IsEmpty(again.Decisions);
        Assert.IsEmpty(later.Decisions);
        await harness.WaitSucceededAsync(started.AttemptId!);
        Assert.HasCount(1, await harness.AttemptsAsync("daily"));
        Assert.AreEqual("2026-11-21\n", harness.Project.Read("runs.txt"));
    }

    [TestMethod]
    public async Task Two_schedulers_on_one_store_start_a_due_session_once()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("daily.dig", Daily);
        var other = await harness.SecondAsync();
        await harness.TickAsync(Utc(21, 6, 0));

        var reports = await Task.WhenAll(
            harness.TickAsync(Utc(21, 7, 0, 5)),
            other.Scheduler.TickAsync(Utc(21, 7, 0, 6), CancellationToken.None));

        var decisions = reports.SelectMany(r => r.Decisions).ToList();
        Assert.AreEqual(1, decisions.Count(d => d.Outcome == SessionOutcome.Started), string.Join("; ", decisions));
        Assert.IsTrue(decisions.All(d => d.Outcome is SessionOutcome.Started or SessionOutcome.AlreadyStarted), string.Join("; ", decisions));
        var attempts = await harness.AttemptsAsync("daily");
        Assert.HasCount(1, attempts);
        await harness.WaitSucceededAsync(attempts[0].AttemptId);
        Assert.AreEqual("2026-11-21\n", harness.Project.Read("runs.txt"));
    }

    [TestMethod]
    public async Task A_scheduler_restarted_after_starting_a_session_but_before_saving_it_finds_the_attempt()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("daily.dig", Daily);
        await harness.TickAsync(Utc(21, 6, 0));

        // What a crashed tick leaves behind: the attempt started, the cursor not moved.
        var crashed = await harness.Project.StartAsync("daily", sessionTime: Utc(21, 0));
        var restarted = await harness.SecondAsync();
        var report = await restarted.Scheduler.TickAsync(Utc(21, 7, 2), CancellationToken.None);

        var decision = report.Decisions.Single();
        Assert.AreEqual((SessionOutcome.AlreadyStarted, crashed.AttemptId), (decision.Outcome, decision.AttemptId));
        Assert.HasCount(1, await harness.AttemptsAsync("daily"));
        Assert.IsEmpty((await harness.TickAsync(Utc(21, 7, 3))).Decisions);
    }

    /// <summary>An hourly schedule (run 5 minutes past) first seen at 06:00, with <paramref name="option"/> added.</summary>
    private static async Task DownFromSixAsync(SchedulerHarness harness, string option)
    {
        harness.Project.Write("hourly.dig", $$"""
            schedule:
              hourly>: 05:00
              {{option}}
            +t:
              echo>: ${session_time}
            """);
        await harness.TickAsync(Utc(21, 6, 0));
    }

    [TestMethod]
    public async Task After_downtime_the_missed_sessions_start_in_order()
    {
        await using var harness = await StartAsync();
        await DownFromSixAsync(harness, string.Empty);

        var report = await harness.TickAsync(Utc(21, 9, 30));

        CollectionAssert.AreEqual(
            new[] { Utc(21, 6), Utc(21, 7), Utc(21, 8), Utc(21, 9) },
            report.Decisions.Select(d => d.SessionTime).ToArray());
        Assert.IsTrue(report.Decisions.All(d => d.Outcome == SessionOutcome.Started));
        Assert.HasCount(4, await harness.AttemptsAsync("hourly"));
    }

    [TestMethod]
    public async Task Skip_delayed_by_skips_the_missed_sessions_that_are_too_late()
    {
        await using var harness = await StartAsync();
        await DownFromSixAsync(harness, "skip_delayed_by: 30m");

        var report = await harness.TickAsync(Utc(21, 9, 30));

        CollectionAssert.AreEqual(
            new[] { SessionOutcome.SkippedDelayed, SessionOutcome.SkippedDelayed, SessionOutcome.SkippedDelayed, SessionOutcome.Started },
            report.Decisions.Select(d => d.Outcome).ToArray());
        var attempts = await harness.AttemptsAsync("hourly");
        Assert.AreEqual(Utc(21, 9), attempts.Single().Session.SessionTime);
        Assert.IsEmpty((await harness.TickAsync(Utc(21, 9, 31))).Decisions);
    }

    [TestMethod]
    public async Task Skip_on_overtime_skips_sessions_while_the_previous_one_still_runs()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("slow.dig", """
            schedule:
              hourly>: 00:00
              skip_on_overtime: true
            +t:
              sh>: while [ ! -f release ]; do sleep 0.1; done
            """);
        await harness.TickAsync(Utc(21, 6, 30));
        var first = (await harness.TickAsync(Utc(21, 7, 0, 10))).Decisions.Single();
        await harness.Project.WaitForTaskAsync(first.AttemptId!, "+slow+t", TaskState.Running);

        var overtime = (await harness.TickAsync(Utc(21, 8, 0, 10))).Decisions.Single();
        var alsoOvertime = (await harness.TickAsync(Utc(21, 9, 0, 10))).Decisions.Single();
        harness.Project.Write("release", "");
        await harness.WaitSucceededAsync(first.AttemptId!);
        var afterwards = (await harness.TickAsync(Utc(21, 10, 0, 10))).Decisions.Single();

        Assert.AreEqual((SessionOutcome.SkippedOvertime, first.AttemptId), (overtime.Outcome, overtime.AttemptId));
        Assert.AreEqual(SessionOutcome.SkippedOvertime, alsoOvertime.Outcome, "the session two hours back still runs");
        Assert.AreEqual((SessionOutcome.Started, Utc(21, 10)), (afterwards.Outcome, afterwards.SessionTime));
        CollectionAssert.AreEqual(new[] { Utc(21, 7), Utc(21, 10) }, (await harness.AttemptsAsync("slow")).Select(a => a.Session.SessionTime).ToArray());
    }

    [TestMethod]
    public async Task Start_and_end_bound_the_sessions_that_start()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("bounded.dig", """
            schedule:
              daily>: 01:00:00
              start: 2026-11-23
              end: 2026-11-24
            +t:
              echo>: ${session_date}
            """);

        for (var day = 21; day <= 26; day++)
        {
            await harness.TickAsync(Utc(day, 1, 0, 30));
        }

        CollectionAssert.AreEqual(new[] { Utc(23, 0), Utc(24, 0) }, (await harness.AttemptsAsync("bounded")).Select(a => a.Session.SessionTime).ToArray());
        var view = await harness.Parts.Control.GetAsync(harness.ProjectName, "bounded", Utc(26, 2), CancellationToken.None);
        Assert.IsNull(view.NextSessionTime, "the schedule has ended");
    }

    /// <summary>The daily workflow, first seen by the scheduler at 06:00 on the 21st.</summary>
    private static async Task<SchedulerHarness> DailySeenAtSixAsync()
    {
        var harness = await StartAsync();
        harness.Project.Write("daily.dig", Daily);
        await harness.TickAsync(Utc(21, 6, 0));
        return harness;
    }

    [TestMethod]
    public async Task Disabled_schedules_start_nothing_and_enabling_does_not_run_what_passed_meanwhile()
    {
        await using var harness = await DailySeenAtSixAsync();
        var control = harness.Parts.Control;

        var disabled = await control.SetEnabledAsync(harness.ProjectName, "daily", enabled: false, Utc(21, 6, 1), CancellationToken.None);
        var whileDisabled = await harness.TickAsync(Utc(21, 7, 0, 30));
        var enabled = await control.SetEnabledAsync(harness.ProjectName, "daily", enabled: true, Utc(21, 8), CancellationToken.None);
        var afterEnable = await harness.TickAsync(Utc(21, 8, 1));
        var nextDay = await harness.TickAsync(Utc(22, 7, 0, 30));

        Assert.IsFalse(disabled.Enabled);
        Assert.IsEmpty(whileDisabled.Decisions);
        Assert.AreEqual((true, Utc(22, 0), Utc(22, 7)), (enabled.Enabled, enabled.NextSessionTime, enabled.NextRunTime));
        Assert.IsEmpty(afterEnable.Decisions);
        Assert.AreEqual((SessionOutcome.Started, Utc(22, 0)), (nextDay.Decisions.Single().Outcome, nextDay.Decisions.Single().SessionTime));
    }

    [TestMethod]
    public async Task Skipping_moves_past_the_next_sessions_by_count_or_until_a_time()
    {
        await using var harness = await DailySeenAtSixAsync();
        var control = harness.Parts.Control;

        var byCount = await control.SkipAsync(harness.ProjectName, "daily", 2, null, Utc(21, 6, 1), CancellationToken.None);
        var byTime = await control.SkipAsync(harness.ProjectName, "daily", null, "2026-11-25", Utc(21, 6, 2), CancellationToken.None);
        var ticks = new List<SessionDecision>();
        for (var day = 21; day <= 26; day++)
        {
            ticks.AddRange((await harness.TickAsync(Utc(day, 7, 0, 30))).Decisions);
        }

        Assert.AreEqual(Utc(23, 0), byCount.NextSessionTime);
        Assert.AreEqual(Utc(25, 0), byTime.NextSessionTime);
        CollectionAssert.AreEqual(new[] { Utc(25, 0), Utc(26, 0) }, ticks.Select(d => d.SessionTime).ToArray());
        var problem = await Assert.ThrowsExactlyAsync<ScheduleRequestException>(() =>
            control.SkipAsync(harness.ProjectName, "daily", null, null, Utc(21, 6, 3), CancellationToken.None));
        StringAssert.Contains(problem.Message, "count");
    }

    [TestMethod]
    public async Task A_new_revision_that_changes_the_schedule_does_not_run_the_new_schedules_past()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("wf.dig", Daily);
        await harness.TickAsync(Utc(21, 7, 0, 30));

        harness.Project.Write("wf.dig", Daily.Replace("daily>: 07:00:00", "hourly>: 00:00", StringComparison.Ordinal));
        var afterChange = await harness.TickAsync(Utc(21, 10, 30));
        var nextHour = await harness.TickAsync(Utc(21, 11, 0, 30));

        Assert.IsEmpty(afterChange.Decisions, string.Join("; ", afterChange.Decisions));
        Assert.AreEqual(Utc(21, 11), nextHour.Decisions.Single().SessionTime);
    }

    [TestMethod]
    public async Task A_scheduled_task_sees_the_sessions_before_and_after_its_own()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("tokyo.dig", """
            timezone: Asia/Tokyo
            schedule:
              daily>: 09:00:00
            +t:
              sh>: echo "${last_session_time} ${session_time} ${next_session_time} ${next_session_date}" > times.txt
            """);
        await harness.TickAsync(Utc(20, 23));

        var decision = (await harness.TickAsync(Utc(21, 0, 0, 30))).Decisions.Single();

        await harness.WaitSucceededAsync(decision.AttemptId!);
        Assert.AreEqual("2026-11-20T00:00:00+09:00 2026-11-21T00:00:00+09:00 2026-11-22T00:00:00+09:00 2026-11-22\n", harness.Project.Read("times.txt"));
    }
}
