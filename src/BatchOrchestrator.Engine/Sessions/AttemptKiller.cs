using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>
/// The record side of killing an attempt (the tasks it had not finished recorded as canceled, the
/// attempt as killed), and carrying out kills recorded by another process. Killing itself —
/// terminating the instance and stopping its processes — is <see cref="AttemptLauncher.KillAsync"/>.
/// </summary>
public static class AttemptKiller
{
    /// <summary>
    /// Written after every update the interpreter can make, so a late write of a terminated
    /// activity (at-least-once) cannot bring a canceled task back to running.
    /// </summary>
    internal const long FinalSequence = long.MaxValue;

    /// <summary>Records the attempt as killed and its unfinished tasks as canceled (no effect on a finished attempt's status).</summary>
    public static async Task MarkKilledAsync(IRunStore runs, string attemptId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var tasks = await runs.GetTasksAsync(attemptId, cancellationToken);
        var canceled = tasks
            .Where(t => TaskStateProgress.Of(t.State) < TaskStateProgress.Of(TaskState.Success))
            .Select(t => t with { State = TaskState.Canceled, FinishedAt = now, Error = t.Error ?? "killed", Sequence = FinalSequence })
            .ToList();
        if (canceled.Count > 0)
        {
            await runs.UpsertTasksAsync(canceled, cancellationToken);
        }

        if (await runs.GetAttemptAsync(attemptId, cancellationToken) is { Status: AttemptStatus.Running } attempt)
        {
            await runs.UpsertAttemptAsync(attempt with { Status = AttemptStatus.Killed, FinishedAt = now }, cancellationToken);
        }
    }

    /// <summary>
    /// Terminates the running instances of attempts recorded as killed. A kill recorded while
    /// another process ran the attempt is carried out by that process; if it ended first, the
    /// next engine on the state folder would otherwise resume the killed instance.
    /// </summary>
    public static async Task TerminateKilledAsync(IOrchestrationClient client, IRunStore runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(runs);
        string? token = null;
        do
        {
            var page = await client.QueryInstancesAsync(
                new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Suspended], ContinuationToken = token },
                cancellationToken);
            foreach (var instance in page.Instances)
            {
                if (await runs.GetAttemptAsync(instance.InstanceId, cancellationToken) is { Status: AttemptStatus.Killed })
                {
                    await client.TerminateInstanceAsync(instance.InstanceId, new TerminateInstanceOptions("killed", Recursive: true), cancellationToken);
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }
}
