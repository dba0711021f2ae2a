using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Output;

/// <summary>
/// What <c>bo run</c> and <c>bo retry</c> print when an attempt ends: its status and duration,
/// and for each failed task its error and where its log is — the errors on standard error, so
/// that a script piping the output still shows them.
/// </summary>
public static class AttemptSummary
{
    public static void Print(TextWriter output, TextWriter error, AttemptProgress final, AttemptOutcome outcome, string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(final);
        ArgumentNullException.ThrowIfNull(outcome);
        var attempt = final.Attempt;
        var status = attempt.Status == AttemptStatus.Running ? (outcome.Succeeded ? AttemptStatus.Success : AttemptStatus.Error) : attempt.Status;
        var groups = TaskTreeRows.GroupNames(final.Tasks);
        var operators = final.Tasks.Where(t => !groups.Contains(t.TaskName)).ToList();
        var reused = operators.Count(final.IsReused);
        var succeeded = operators.Count(t => t.State == TaskState.Success) - reused;
        var failed = operators.Where(t => t.State == TaskState.Error).ToList();
        var counts = new List<string> { $"{succeeded} succeeded" };
        if (reused > 0)
        {
            counts.Add($"{reused} skipped (succeeded earlier)");
        }

        var notChosen = operators.Count(t => t.State == TaskState.Skipped);
        if (notChosen > 0)
        {
            counts.Add($"{notChosen} skipped (not chosen to run)");
        }

        if (failed.Count > 0)
        {
            counts.Add($"{failed.Count} failed");
        }

        var canceled = operators.Count(t => t.State == TaskState.Canceled);
        if (canceled > 0)
        {
            counts.Add($"{canceled} canceled");
        }

        output.WriteLine();
        output.WriteLine($"{TaskStates.Name(status)}: attempt {attempt.AttemptId} {Verb(status)} after {Durations.Format((attempt.FinishedAt ?? final.Now) - attempt.CreatedAt)} ({string.Join(", ", counts)})");
        if (status is AttemptStatus.Success or AttemptStatus.Killed)
        {
            return;
        }

        if (failed.Count == 0)
        {
            // Nothing failed on its own (the workflow could not start, or it was killed): say why.
            foreach (var failure in outcome.Errors)
            {
                error.WriteLine($"  {failure.TaskName}: {failure.Message}");
            }

            return;
        }

        error.WriteLine("failed tasks:");
        foreach (var task in failed)
        {
            error.WriteLine($"  {task.TaskName} (try {task.Tries}): {Indent(TaskStates.ErrorOf(task) ?? "failed")}");
            if (task.LogReference is { } log && File.Exists(LocalState.LogPathOf(stateDirectory, log)))
            {
                error.WriteLine($"    log: {LocalState.LogPathOf(stateDirectory, log)}");
            }
        }
    }

    private static string Verb(AttemptStatus status) => status switch
    {
        AttemptStatus.Success => "finished",
        AttemptStatus.Killed => "was killed",
        _ => "failed",
    };

    private static string Indent(string text) => text.Trim().ReplaceLineEndings(Environment.NewLine + "      ");
}
