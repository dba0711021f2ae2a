using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Runtime.Storage;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>Starts the local engine on a state folder, with a clear message when another process holds it.</summary>
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
        catch (DurableStoreException e)
        {
            throw new UserError($"cannot open the state folder {stateDirectory}: {e.Message}" + Environment.NewLine +
                "  Another `bo run` or `bo retry` is probably running on this project: wait for it to end (see `bo attempts`), or stop it with Ctrl-C.");
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
}
