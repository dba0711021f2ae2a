using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// Waits for an attempt in this process's engine while showing its task records, then prints the
/// summary. Also carries out a <c>bo kill</c> given from another process: that one cannot reach
/// the runtime this process owns, so it records the kill in the run store, and the watcher, seeing
/// it, carries it out here by the one kill path (<see cref="Engine.Sessions.AttemptLauncher.KillAsync"/>).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AttemptWatcher(CliContext context)
{
    /// <summary>Shows the attempt until it ends, with its tasks' output unless <paramref name="quiet"/>; returns the exit code (0 when it succeeded).</summary>
    /// <exception cref="OperationCanceledException">The wait was canceled (Ctrl-C); the attempt itself goes on being durable.</exception>
    public async Task<int> WatchAsync(LocalEngine engine, string stateDirectory, string attemptId, bool quiet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var completion = engine.WaitAsync(attemptId, cancellationToken);
        var killing = false;
        var output = quiet ? null : new TaskOutputTail(engine.Logs);
        await context.ProgressDisplay.ShowAsync(async report =>
        {
            while (true)
            {
                // Seen before the records are read: when it says the attempt ended, the records and logs read next are final.
                var ended = completion.IsCompleted;
                var snapshot = await SnapshotAsync(engine.Runs, attemptId, cancellationToken);
                if (output is not null)
                {
                    var lines = await output.ReadAsync(snapshot, cancellationToken);
                    snapshot = snapshot with { Output = ended ? [.. lines, .. output.Flush()] : lines };
                }

                report(snapshot);
                if (ended)
                {
                    return;
                }

                if (!killing && snapshot.Attempt.Status == AttemptStatus.Killed)
                {
                    killing = true;
                    await engine.KillAsync(attemptId, cancellationToken);
                }

                await Task.WhenAny(completion, Task.Delay(context.PollInterval, context.Clock, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        });

        var outcome = await completion;

        var final = await SnapshotAsync(engine.Runs, attemptId, cancellationToken);
        AttemptSummary.Print(context.Output, context.Error, final, outcome, stateDirectory);
        return final.Attempt.Status == AttemptStatus.Success || (final.Attempt.Status == AttemptStatus.Running && outcome.Succeeded) ? 0 : 1;
    }

    private async Task<AttemptProgress> SnapshotAsync(IRunStore runs, string attemptId, CancellationToken cancellationToken) =>
        await AttemptProgress.ReadAsync(runs, attemptId, context.Now, cancellationToken)
            ?? throw new UserError($"attempt {attemptId} has no record in the run store");
}
