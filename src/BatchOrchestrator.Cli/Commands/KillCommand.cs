using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// <c>bo kill &lt;attempt&gt;</c>: ends a running attempt; its unfinished tasks become canceled and
/// their processes are stopped. When a <c>bo run</c> in another process is running the attempt
/// (it alone holds the runtime), the kill is recorded in the run store and that process carries
/// it out within a moment; otherwise the instance is terminated here.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KillCommand(CliContext context)
{
    public Task<int> RunAsync(string attemptReference, StateOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, async () =>
        {
            ArgumentNullException.ThrowIfNull(options);
            var location = options.Resolve();
            if (Remote.ServerAddressFile.TryRead(location.StateDirectory) is { } server)
            {
                // The server runs the attempts of this state folder: it kills them.
                using var client = new Remote.ServerClient(server.Url, server.Token);
                return await new RemoteCommands(context).KillAsync(client, attemptReference, cancellationToken);
            }

            AttemptRecord attempt;
            await using (var state = await location.OpenStateAsync(cancellationToken))
            {
                attempt = await AttemptFinder.FindAsync(state.Runs, attemptReference, cancellationToken);
                if (attempt.Status != AttemptStatus.Running)
                {
                    await context.Output.WriteLineAsync($"attempt {attempt.AttemptId} already ended: {TaskStates.Name(attempt.Status)}");
                    return 0;
                }

                if (IsHeldByAnotherProcess(location.StateDirectory))
                {
                    await AttemptKiller.MarkKilledAsync(state.Runs, attempt.AttemptId, context.Now, cancellationToken);
                    await context.Output.WriteLineAsync($"killed attempt {attempt.AttemptId}: the `bo run` running it stops its tasks now");
                    return 0;
                }
            }

            await using var engine = await EngineOpener.OpenAsync(context, location.StateDirectory, cancellationToken);
            await engine.KillAsync(attempt.AttemptId, cancellationToken);
            await context.Output.WriteLineAsync($"killed attempt {attempt.AttemptId}");
            return 0;
        });

    /// <summary>
    /// Whether another process's runtime owns the state folder: it holds an exclusive lock on
    /// <c>runtime.db.lock</c> for as long as it runs (released by the OS even if it crashes).
    /// </summary>
    private static bool IsHeldByAnotherProcess(string stateDirectory)
    {
        var lockFile = Path.Combine(stateDirectory, "runtime.db.lock");
        if (!File.Exists(lockFile))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
