using System.Globalization;
using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Cli.Remote;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// <c>bo tasks &lt;attempt&gt;</c>: the attempt's task tree with each task's state, tries, start
/// time and duration; then, for each task that failed (or failed a try), its error and log.
/// </summary>
public sealed class TasksCommand(CliContext context)
{
    public Task<int> RunAsync(string attemptReference, StateOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, async () =>
        {
            ArgumentNullException.ThrowIfNull(options);
            await using var state = await RunSource.OpenAsync(options, cancellationToken);
            var attempt = await AttemptFinder.FindAsync(state.Runs, attemptReference, cancellationToken);
            var tasks = await state.Runs.GetTasksAsync(attempt.AttemptId, cancellationToken);
            var progress = new AttemptProgress(attempt, tasks, context.Now);
            await context.Output.WriteLineAsync(
                $"attempt {attempt.AttemptId} ({AttemptNames.Of(attempt)}): {TaskStates.Name(attempt.Status)}, session {Times.Format(attempt.Session.SessionTime)}");
            if (tasks.Count == 0)
            {
                await context.Output.WriteLineAsync("no tasks recorded yet");
                return 0;
            }

            var table = new TextTable("task", "state", "tries", "started", "duration", "error");
            foreach (var row in TaskTreeRows.Build(tasks))
            {
                var task = row.Record;
                table.Add(
                    row.Label,
                    progress.IsReused(task) ? "success (reused)" : TaskStates.Name(task.State),
                    task.Tries.ToString(CultureInfo.InvariantCulture),
                    Times.Clock(task.StartedAt),
                    Durations.Of(task, context.Now),
                    TaskStates.OneLine(TaskStates.ErrorOf(task)));
            }

            table.Write(context.Output);
            // Groups repeat their children's errors: each error is shown once, at the task that raised it.
            var groups = TaskTreeRows.GroupNames(tasks);
            var failed = tasks.Where(t => t.Error is not null && t.State is not (Engine.Stores.TaskState.Success or Engine.Stores.TaskState.Canceled) && !groups.Contains(t.TaskName)).ToList();
            foreach (var task in failed)
            {
                await context.Output.WriteLineAsync();
                await context.Output.WriteLineAsync($"{task.TaskName} ({TaskStates.Name(task.State)}, try {task.Tries}):");
                foreach (var line in TaskStates.ErrorOf(task)!.Trim().Split('\n'))
                {
                    await context.Output.WriteLineAsync("  " + line.TrimEnd('\r'));
                }

                if (state.LocalLogPath(task) is { } log)
                {
                    await context.Output.WriteLineAsync($"  log: {log}");
                }
            }

            return 0;
        });
}
