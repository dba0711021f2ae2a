using System.Globalization;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>
/// A task's <c>_retry</c>: how many times a failed task (a group: whole) runs again, and the wait
/// before each retry, a durable timer — never a real wait, so a retry survives a restart.
/// </summary>
internal sealed class TaskRetries(IOrchestrationContext context, TaskRecorder recorder)
{
    /// <summary>How many retries the task has after its first try (0 without <c>_retry</c>); a <c>_retry: ${n}</c> is read from the rendered task.</summary>
    /// <exception cref="TaskFailure">A templated limit that is not a whole number ≥ 0 (not retryable).</exception>
    public static int Limit(PlannedTask task, RenderedTask? rendered)
    {
        if (task.Retry is not { } retry)
        {
            return 0;
        }

        if (retry.LimitTemplate is null)
        {
            return retry.Limit;
        }

        var node = rendered?.Option("_retry");
        var text = node is JsonObject obj ? obj["limit"]?.ToString() : node?.ToString();
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && limit >= 0
            ? limit
            : throw new TaskFailure($"_retry: expected a whole number ≥ 0, got '{text}'", retryable: false);
    }

    /// <summary>The wait before retry number <paramref name="retryIndex"/> (0 for the first retry) of a task with a <c>_retry</c>.</summary>
    public static TimeSpan WaitBefore(PlannedTask task, int retryIndex) => task.Retry!.WaitBefore(retryIndex);

    /// <summary>
    /// Waits before the retry on a durable timer (none for a zero interval). The records pending go
    /// out first, so the store shows the task waiting during the wait, not after it.
    /// </summary>
    public async Task WaitBeforeRetryAsync(PlannedTask task, int retryIndex)
    {
        var wait = WaitBefore(task, retryIndex);
        if (wait > TimeSpan.Zero)
        {
            recorder.Flush();
            await context.CreateTimer(context.CurrentUtcDateTime + wait, CancellationToken.None);
        }
    }
}
