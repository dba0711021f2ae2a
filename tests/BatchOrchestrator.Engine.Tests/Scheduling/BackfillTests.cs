using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Stores;
using static BatchOrchestrator.Engine.Tests.Scheduling.SchedulerHarness;

namespace BatchOrchestrator.Engine.Tests.Scheduling;

/// <summary>Backfills: past sessions one after another, each once, however often they are asked for.</summary>
[TestClass]
public sealed class BackfillTests
{
    // Each session waits for its own release file, so the test decides when it ends.
    private const string Gated = """
        timezone: UTC
        schedule:
          daily>: 07:00:00
        +t:
          sh>: |
            echo "start ${session_date} ${retry_attempt_name}" >> order.txt
            while [ ! -f release-${session_date} ]; do sleep 0.1; done
            echo "end ${session_date}" >> order.txt
        """;

    [TestMethod]
    public async Task A_backfill_runs_its_sessions_one_after_another()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("gated.dig", Gated);
        var backfills = harness.Parts.Backfills;
        var now = Utc(21, 12);
        var plan = await backfills.PlanAsync(new BackfillRequest(harness.ProjectName, "gated", "2026-11-15", Count: 3, Name: "fix-2026-11"), now, CancellationToken.None);
        var created = await backfills.CreateAsync(plan, now, CancellationToken.None);

        var orderOfStarts = new List<SessionDecision>();
        for (var day = 15; day <= 17; day++)
        {
            var started = (await harness.TickAsync(now)).Decisions.Single();
            orderOfStarts.Add(started);
            await harness.Project.WaitForTaskAsync(started.AttemptId!, "+gated+t", TaskState.Running);
            Assert.IsEmpty((await harness.TickAsync(now)).Decisions, "the next session waits while this one runs");
            harness.Project.Write($"release-2026-11-{day}", "");
            await harness.WaitSucceededAsync(started.AttemptId!);
        }

        var finishing = await harness.TickAsync(now);
        var stored = await harness.Parts.Store.GetBackfillAsync(harness.ProjectName, "gated", "fix-2026-11", CancellationToken.None);

        Assert.IsTrue(created.Created);
        CollectionAssert.AreEqual(new[] { Utc(15, 0), Utc(16, 0), Utc(17, 0) }, plan.SessionTimes.ToArray());
        CollectionAssert.AreEqual(new[] { Utc(15, 0), Utc(16, 0), Utc(17, 0) }, orderOfStarts.Select(d => d.SessionTime).ToArray());
        Assert.IsTrue(orderOfStarts.All(d => d.Backfill == "fix-2026-11" && d.Outcome == SessionOutcome.Started));
        Assert.IsEmpty(finishing.Decisions);
        Assert.IsTrue(stored!.IsFinished);
        Assert.AreEqual(
            "start 2026-11-15 fix-2026-11\nend 2026-11-15\nstart 2026-11-16 fix-2026-11\nend 2026-11-16\nstart 2026-11-17 fix-2026-11\nend 2026-11-17\n",
            harness.Project.Read("order.txt"));
    }

    [TestMethod]
    public async Task A_backfill_asked_for_again_by_name_is_the_same_backfill_and_runs_nothing_twice()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("daily.dig", """
            schedule:
              daily>: 07:00:00
            +t:
              sh>: echo "${session_date}" >> runs.txt
            """);
        var backfills = harness.Parts.Backfills;
        var other = await harness.SecondAsync();
        var now = Utc(21, 12);
        var request = new BackfillRequest(harness.ProjectName, "daily", "2026-11-19 00:00:00");

        var first = await backfills.CreateAsync(await backfills.PlanAsync(request, now, CancellationToken.None), now, CancellationToken.None);
        var attempts = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var parts in new[] { harness.Parts, other })
            {
                var again = await parts.Backfills.CreateAsync(await parts.Backfills.PlanAsync(request, now.AddMinutes(round), CancellationToken.None), now, CancellationToken.None);
                Assert.IsFalse(again.Created);
                var report = await parts.Scheduler.TickAsync(now.AddMinutes(round), CancellationToken.None);
                foreach (var started in report.Started)
                {
                    attempts.Add(started.AttemptId!);
                    await harness.WaitSucceededAsync(started.AttemptId!);
                }
            }
        }

        Assert.IsTrue(first.Created);
        Assert.AreEqual("backfill-20261119T000000", first.Backfill.Name);
        Assert.HasCount(3, attempts, "sessions 19, 20 and 21, once each");
        Assert.AreEqual("2026-11-19\n2026-11-20\n2026-11-21\n", harness.Project.Read("runs.txt"));
    }

    [TestMethod]
    public async Task A_backfill_step_repeated_after_a_crash_finds_the_attempt_it_had_started()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("daily.dig", "schedule:\n  daily>: 07:00:00\n+t:\n  echo>: ${session_date}\n");
        var now = Utc(21, 12);
        var backfills = harness.Parts.Backfills;
        var plan = await backfills.PlanAsync(new BackfillRequest(harness.ProjectName, "daily", "2026-11-20", Name: "redo"), now, CancellationToken.None);
        await backfills.CreateAsync(plan, now, CancellationToken.None);

        // What a step that crashed before saving its progress leaves behind: the attempt, started.
        var crashed = await harness.Project.StartAsync("daily", retryName: "redo", sessionTime: Utc(20, 0));
        var restarted = await harness.SecondAsync();
        var step = (await restarted.Scheduler.TickAsync(now, CancellationToken.None)).Decisions.Single();

        Assert.AreEqual((SessionOutcome.AlreadyStarted, crashed.AttemptId, Utc(20, 0)), (step.Outcome, step.AttemptId, step.SessionTime));
        await harness.WaitSucceededAsync(crashed.AttemptId);
        var next = (await restarted.Scheduler.TickAsync(now, CancellationToken.None)).Decisions.Single();
        Assert.AreEqual((SessionOutcome.Started, Utc(21, 0)), (next.Outcome, next.SessionTime));
        Assert.HasCount(2, await harness.AttemptsAsync("daily"));
    }

    [TestMethod]
    public async Task A_backfill_of_a_workflow_without_schedule_or_sessions_is_refused_with_what_is_wrong()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("daily.dig", "schedule:\n  daily>: 07:00:00\n+t:\n  echo>: hi\n");
        harness.Project.Write("plain.dig", "+t:\n  echo>: hi\n");
        var backfills = harness.Parts.Backfills;
        var now = Utc(21, 12);

        var unscheduled = await Assert.ThrowsExactlyAsync<ScheduleRequestException>(() =>
            backfills.PlanAsync(new BackfillRequest(harness.ProjectName, "plain", "2026-11-01"), now, CancellationToken.None));
        var typo = await Assert.ThrowsExactlyAsync<ScheduleRequestException>(() =>
            backfills.PlanAsync(new BackfillRequest(harness.ProjectName, "dayly", "2026-11-01"), now, CancellationToken.None));
        var future = await Assert.ThrowsExactlyAsync<ScheduleRequestException>(() =>
            backfills.PlanAsync(new BackfillRequest(harness.ProjectName, "daily", "2026-11-22"), now, CancellationToken.None));
        var badTime = await Assert.ThrowsExactlyAsync<ScheduleRequestException>(() =>
            backfills.PlanAsync(new BackfillRequest(harness.ProjectName, "daily", "yesterday"), now, CancellationToken.None));

        Assert.IsTrue(unscheduled.NotFound);
        StringAssert.Contains(unscheduled.Message, "has no schedule");
        StringAssert.Contains(typo.Message, "did you mean 'daily'");
        StringAssert.Contains(future.Message, "has reached its run time");
        StringAssert.Contains(badTime.Message, "expected YYYY-MM-DD");
    }
}
