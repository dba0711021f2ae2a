using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Output;

/// <summary>
/// Progress as plain lines, one per change of a task (for logs, pipes and CI, where a live
/// display would be noise): <c>  +wf+task  running</c>, <c>  +wf+task  success 1.2s</c>,
/// <c>  +wf+task  error: ...</c> (the error whole, its output's last lines indented under it); and
/// before them, each line the tasks wrote, after the task's name: <c>+wf+task: ...</c>.
/// </summary>
public sealed class PlainProgressDisplay(TextWriter output) : IProgressDisplay
{
    public async Task ShowAsync(Func<Action<AttemptProgress>, Task> watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        var seen = new Dictionary<string, (TaskState State, int Tries)>(StringComparer.Ordinal);
        await watch(progress =>
        {
            foreach (var line in progress.Output)
            {
                output.WriteLine($"{line.TaskName}: {line.Text}");
            }

            var changed = new List<TaskRecord>();
            foreach (var task in progress.Tasks)
            {
                var now = (task.State, task.Tries);
                if (!seen.TryGetValue(task.TaskName, out var before) || before != now)
                {
                    seen[task.TaskName] = now;
                    changed.Add(task);
                }
            }

            // Several changes seen at once are told in the order they happened (a group ends after
            // its children): by time, and within one orchestrator turn (equal times) by the order
            // the engine made them, which the record's sequence keeps.
            foreach (var task in changed.OrderBy(t => (TaskStates.IsFinished(t.State) ? t.FinishedAt : t.StartedAt) ?? progress.Now).ThenBy(t => t.Sequence))
            {
                if (Describe(task, progress) is { } text)
                {
                    output.WriteLine($"  {task.TaskName}  {text}");
                }
            }
        });
    }

    private const string ErrorIndent = "      ";

    private static string? Describe(TaskRecord task, AttemptProgress progress) => task.State switch
    {
        TaskState.Running => task.Tries > 1 ? $"running (try {task.Tries})" : "running",
        TaskState.Success when progress.IsReused(task) => "skipped (succeeded in an earlier attempt)",
        TaskState.Success => $"success {Durations.Of(task, progress.Now)}",
        TaskState.RetryWaiting or TaskState.GroupRetryWaiting => $"{TaskStates.Name(task.State)} (try {task.Tries} failed): {TaskStates.Whole(TaskStates.ErrorOf(task), ErrorIndent)}",
        TaskState.Error or TaskState.GroupError => $"{TaskStates.Name(task.State)}: {TaskStates.Whole(TaskStates.ErrorOf(task), ErrorIndent)}",
        TaskState.Canceled => "canceled",
        TaskState.Skipped => "skipped (not chosen to run)",
        _ => null,
    };
}
