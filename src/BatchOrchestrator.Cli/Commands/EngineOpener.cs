using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Runtime.Storage;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>Starts the local engine on a state folder, with a clear message when another process holds it or a database of it cannot be used.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class EngineOpener
{
    public static async Task<LocalEngine> OpenAsync(CliContext context, string stateDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Container executors come from the host's environment (docs/executors.md), never from the workflow.
        var executors = await ExecutorConfiguration.ReadAsync(ExecutorConfiguration.ProcessEnvironment(), cancellationToken: cancellationToken);
        var secrets = await SecretStoreConfiguration.SecretStoreAsync(ExecutorConfiguration.ProcessEnvironment(), stateDirectory, SecretKeySource.FromEnvironment(), cancellationToken: cancellationToken);
        var options = new LocalEngineOptions(stateDirectory) { ExtraExecutors = executors, SecretStore = secrets, ExtraOperators = context.ExtraOperators };
        if (context.ActivityWorkers is { } workers)
        {
            options = options with { ActivityWorkers = workers };
        }

        LocalEngine engine;
        try
        {
            engine = await LocalEngine.StartAsync(options, cancellationToken);
        }
        catch (DurableStoreException e) when (e.Failure == StoreFailure.InUse)
        {
            throw new UserError(await HolderMessageAsync(stateDirectory, cancellationToken));
        }
        catch (Exception e) when (StateFolderErrors.For(stateDirectory, e) is { } line)
        {
            // Not held by anyone: waiting or killing would not help, so the holder's message would mislead.
            throw new UserError(line);
        }
    
        try
        {
            // Kills recorded while no engine ran (or left half-done by one that stopped) are completed before anything resumes them.
            await engine.Attempts.CompleteKillsAsync(cancellationToken);
            return engine;
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <summary>What holds the state folder and how to reach it: the attempts running there (its records stay readable).</summary>
    private static async Task<string> HolderMessageAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var running = new List<string>();
        await using (var state = await LocalState.OpenAsync(stateDirectory, cancellationToken))
        {
            if (state is not null)
            {
                running.AddRange((await SessionListing.ReadAsync(state.Runs, cancellationToken))
                    .SelectMany(s => s.Attempts)
                    .Where(a => a.Status == Engine.Stores.AttemptStatus.Running)
                    .Select(a => $"{a.AttemptId} ({a.Session.Workflow}, session {Output.Times.Format(a.Session.SessionTime)})"));
            }
        }

        var what = running.Count == 0
            ? "another `bo run` or `bo retry` holds this project's state folder"
            : $"another `bo run` or `bo retry` is running this project: attempt {string.Join(", ", running)}";
        return $"{what} ({stateDirectory})." + Environment.NewLine +
            "  Wait for it to end and run again, follow it with `bo log -f <attempt>` or `bo tasks <attempt>`, or end it with `bo kill <attempt>`; " +
            "to run several sessions at once, run them on `bo server` (`bo run` then goes through it).";
    }
}
