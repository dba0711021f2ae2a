using System.Globalization;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Output;

/// <summary>Short human durations: <c>0.4s</c>, <c>12.3s</c>, <c>2m03s</c>, <c>1h02m</c>.</summary>
public static class Durations
{
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration.TotalSeconds < 60
            ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
            : duration.TotalHours < 1
                ? $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s"
                : $"{(int)duration.TotalHours}h{duration.Minutes:00}m";
    }

    /// <summary>How long a task ran (so far, when it still runs); empty when it never started.</summary>
    public static string Of(DateTimeOffset? startedAt, DateTimeOffset? finishedAt, DateTimeOffset now) =>
        startedAt is { } start ? Format((finishedAt ?? now) - start) : string.Empty;

    /// <summary>How long a task ran, or has been running; empty when it is finished but its end was not recorded.</summary>
    public static string Of(TaskRecord task, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        return TaskStates.IsFinished(task.State) && task.FinishedAt is null ? string.Empty : Of(task.StartedAt, task.FinishedAt, now);
    }
}
