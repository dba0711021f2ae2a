using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// <c>bo retry &lt;attempt&gt; --failed|--all|--from +task</c>: a new attempt <c>retry-N</c> of
/// the same session, with the project's current files, reusing the tasks that succeeded
/// (<c>--failed</c>), none (<c>--all</c>), or those before a task (<c>--from</c>); params given
/// here are merged over the original attempt's. It runs here and now, shown like <c>bo run</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RetryCommand(CliContext context)
{
    public Task<int> RunAsync(RetryOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, () => RunCoreAsync(options, cancellationToken));

    private async Task<int> RunCoreAsync(RetryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var location = StateLocation.Resolve(options.ProjectDirectory, options.StateDirectory);
        if (!File.Exists(Path.Combine(location.StateDirectory, "runs.db")))
        {
            throw new UserError(location.NothingRanMessage);
        }

        if (Remote.ServerAddressFile.TryRead(location.StateDirectory) is { } server)
        {
            // The server holds the state folder: it runs the retry.
            await context.Output.WriteLineAsync($"bo server (pid {server.Pid}) runs this project's state: retrying there, at {server.Url}");
            using var client = new Remote.ServerClient(server.Url, server.Token);
            return await new RemoteCommands(context).RetryAsync(client, options, cancellationToken);
        }

        var overrides = await SessionParamsReader.ReadAsync(options.Params, options.ParamsFile, cancellationToken);
        await using var engine = await EngineOpener.OpenAsync(context, location.StateDirectory, cancellationToken);
        var original = await AttemptFinder.FindAsync(engine.Runs, options.Attempt, cancellationToken);
        if (original.Status == AttemptStatus.Running)
        {
            throw new UserError($"attempt {original.AttemptId} has not finished: carry it on with `bo run`, or end it with `bo kill` first");
        }

        if (options.Mode == ResumeMode.Failed && original.Status == AttemptStatus.Success)
        {
            await context.Output.WriteLineAsync(NothingFailedMessage(original.AttemptId));
            return 0;
        }

        if (new DirectoryInfo(location.ProjectDirectory).Name != original.Session.Project)
        {
            throw new UserError($"attempt {original.AttemptId} belongs to project '{original.Session.Project}', not to {location.ProjectDirectory}: run `bo retry` in that project's folder, or pass --project");
        }

        if (options.Mode == ResumeMode.From && string.IsNullOrWhiteSpace(options.FromTask))
        {
            throw new UserError("--from needs a task, e.g. --from +load", 2);
        }

        var workflowFile = Path.Combine(location.ProjectDirectory, original.Session.Workflow + ".dig");
        var definition = await WorkflowFiles.LoadValidAsync(workflowFile, context.CreateOperators(), context.Error, cancellationToken);
        var retry = await AttemptRetries.StartAsync(
            engine.Attempts,
            new RetryRequest
            {
                Original = original,
                Mode = options.Mode,
                FromTask = options.FromTask,
                Params = overrides,
                Definition = definition,
                ProjectDirectory = location.ProjectDirectory,
            },
            cancellationToken);
        var started = retry.Attempt;
        var fromTask = retry.FromTask;
        await context.Output.WriteLineAsync(RetryMessage(original.AttemptId, options.Mode, fromTask, started.AttemptId));
        try
        {
            return await new AttemptWatcher(context).WatchAsync(engine, location.StateDirectory, started.AttemptId, options.Quiet, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Output.WriteLineAsync($"interrupted: stopped waiting for attempt {started.AttemptId}. Its state is saved; `bo run` of the workflow carries it on.");
            return context.Stop.ExitCode;
        }
    }

    /// <summary>What <c>--failed</c> on a succeeded attempt says instead of starting an attempt that would do nothing.</summary>
    internal static string NothingFailedMessage(string original) =>
        $"attempt {original} succeeded: no task failed, nothing to retry (--all runs every task again, --from +task some of them)";

    /// <summary>The line that says what a retry does, in local and server mode alike.</summary>
    internal static string RetryMessage(string original, ResumeMode mode, string? fromTask, string started)
    {
        var what = mode switch
        {
            ResumeMode.Failed => "reusing the tasks that succeeded",
            ResumeMode.From => $"from {fromTask}",
            _ => "all tasks",
        };
        return $"retrying attempt {original} ({what}) as attempt {started}";
    }
}
