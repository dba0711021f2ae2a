using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Output;

/// <summary>Task and attempt states as Digdag users know them (<c>retry_waiting</c>, <c>group_error</c>).</summary>
public static class TaskStates
{
    public static string Name(TaskState state) => state switch
    {
        TaskState.RetryWaiting => "retry_waiting",
        TaskState.GroupRetryWaiting => "group_retry_waiting",
        TaskState.GroupError => "group_error",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static string Name(AttemptStatus status) => status.ToString().ToLowerInvariant();

    public static bool IsFinished(TaskState state) => TaskStateProgress.IsFinished(state);

    public static bool IsFailed(TaskState state) => state is TaskState.Error or TaskState.GroupError;

    /// <summary>The first line of an error, for one-line listings (the full text is in <c>bo tasks</c> and the log).</summary>
    public static string FirstLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var line = text.Trim().Split('\n')[0].TrimEnd('\r');
        return line.Length <= 160 ? line : line[..157] + "...";
    }

    /// <summary>A task's error without the task name the interpreter puts in front of it (listings show the name already).</summary>
    public static string? ErrorOf(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var prefix = task.TaskName + ": ";
        return task.Error is { } error && error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : task.Error;
    }
}
