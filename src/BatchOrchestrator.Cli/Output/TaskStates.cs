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

    /// <summary>
    /// An error on one line, for a table cell: its lines joined with " | " (an error's last lines of
    /// output say most), shortened from the front when long, so the end — the output — stays.
    /// </summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var line = string.Join(" | ", text.Trim().Split('\n').Select(l => l.TrimEnd('\r').Trim()).Where(l => l.Length > 0));
        return line.Length <= 240 ? line : line[..120] + " ... " + line[^115..];
    }

    /// <summary>An error whole, its later lines indented under the first (for a listing that gives it its own lines).</summary>
    public static string Whole(string? text, string indent) =>
        string.IsNullOrWhiteSpace(text) ? string.Empty : text.Trim().ReplaceLineEndings("\n").Replace("\n", Environment.NewLine + indent, StringComparison.Ordinal);

    /// <summary>A task's error without the task name the interpreter puts in front of it (listings show the name already).</summary>
    public static string? ErrorOf(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var prefix = task.TaskName + ": ";
        return task.Error is { } error && error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : task.Error;
    }
}
