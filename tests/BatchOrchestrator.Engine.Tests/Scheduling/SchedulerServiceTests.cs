using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Server.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using static BatchOrchestrator.Engine.Tests.Scheduling.SchedulerHarness;

namespace BatchOrchestrator.Engine.Tests.Scheduling;

/// <summary>The local server's minute loop, on a clock the test moves.</summary>
[TestClass]
public sealed class SchedulerServiceTests
{
    [TestMethod]
    public async Task The_loop_ticks_at_start_and_then_on_each_minute_boundary()
    {
        await using var harness = await StartAsync();
        harness.Project.Write("often.dig", """
            schedule:
              minutes_interval>: 1
            +t:
              echo>: ${session_time}
            """);
        var clock = new FakeClock(Utc(21, 10, 0, 30));
        using var service = new SchedulerService(harness.Scheduler, clock, NullLogger<SchedulerService>.Instance);
        var reports = new System.Collections.Concurrent.BlockingCollection<TickReport>();
        service.TickCompleted += reports.Add;
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        await service.StartAsync(guard.Token);
        var first = reports.Take(guard.Token);
        await clock.WaitForTimerAsync().WaitAsync(guard.Token);
        var asleep = await harness.AttemptsAsync("often");
        clock.AdvanceTo(Utc(21, 10, 1, 0));
        var second = reports.Take(guard.Token);
        await service.StopAsync(guard.Token);

        Assert.AreEqual((Utc(21, 10, 0, 30), 0), (first.Now, first.Decisions.Count));
        Assert.IsEmpty(asleep, "nothing starts before the minute");
        Assert.AreEqual(Utc(21, 10, 1, 0), second.Now);
        Assert.AreEqual((SessionOutcome.Started, Utc(21, 10, 1)), (second.Decisions.Single().Outcome, second.Decisions.Single().SessionTime));
    }

    [TestMethod]
    public void The_next_tick_is_the_next_whole_minute()
    {
        Assert.AreEqual(Utc(21, 10, 1), SchedulerService.NextMinute(Utc(21, 10, 0, 30)));
        Assert.AreEqual(Utc(21, 10, 1), SchedulerService.NextMinute(Utc(21, 10, 0, 0)));
        Assert.AreEqual(Utc(21, 11, 0), SchedulerService.NextMinute(new DateTimeOffset(2026, 11, 21, 19, 59, 59, TimeSpan.FromHours(9))));
    }
}
