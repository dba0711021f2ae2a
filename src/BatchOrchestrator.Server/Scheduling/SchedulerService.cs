using BatchOrchestrator.Engine.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchOrchestrator.Server.Scheduling;

/// <summary>
/// The local server's scheduler loop: a tick at start, then one at each minute boundary of
/// <see cref="TimeProvider"/> (schedules fire on whole minutes). A tick that throws is logged
/// and the loop goes on; the next tick retries whatever it did not finish.
/// </summary>
public sealed partial class SchedulerService(Scheduler scheduler, TimeProvider clock, ILogger<SchedulerService> logger) : BackgroundService
{
    /// <summary>Raised after each tick with what it did (for logs and tests).</summary>
    public event Action<TickReport>? TickCompleted;

    /// <summary>The first minute boundary strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextMinute(DateTimeOffset now)
    {
        var minute = now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute);
        return new DateTimeOffset(minute, TimeSpan.Zero).AddMinutes(1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = clock.GetUtcNow();
                await TickAsync(now, stoppingToken);
                var wait = NextMinute(now) - clock.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task TickAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            var report = await scheduler.TickAsync(now, stoppingToken);
            foreach (var decision in report.Decisions)
            {
                Log(decision);
            }

            TickCompleted?.Invoke(report);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTickFailed(logger, e);
        }
    }

    private void Log(SessionDecision decision)
    {
        var what = decision.Backfill is null ? "schedule" : $"backfill {decision.Backfill}";
        if (decision.Outcome == SessionOutcome.Failed)
        {
            LogSessionFailed(logger, decision.Project, decision.Workflow, decision.SessionTime, what, decision.Error ?? "");
        }
        else
        {
            LogSession(logger, decision.Project, decision.Workflow, decision.SessionTime, what, decision.Outcome, decision.AttemptId ?? "-");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Project}/{Workflow} session {SessionTime:O} ({What}): {Outcome}, attempt {AttemptId}")]
    private static partial void LogSession(ILogger logger, string project, string workflow, DateTimeOffset sessionTime, string what, SessionOutcome outcome, string attemptId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Project}/{Workflow} session {SessionTime:O} ({What}) could not start and is tried again next minute: {Error}")]
    private static partial void LogSessionFailed(ILogger logger, string project, string workflow, DateTimeOffset sessionTime, string what, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The scheduler's tick failed; the next one retries it")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
