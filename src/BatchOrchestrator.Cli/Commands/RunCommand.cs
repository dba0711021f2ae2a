using System.Globalization;
using System.Text.Json;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// <c>bo run &lt;file.dig&gt;</c>: runs a workflow's session on the local engine, as Digdag's
/// local mode does. A session's state is kept in the project's state folder, so running the same
/// session again carries on an interrupted attempt, or runs a new attempt that reuses every task
/// that succeeded in the latest one (a failed session's retry; a task added to the workflow since,
/// or one chosen with <c>--start</c>/<c>--goal</c>/<c>+task</c>, runs); <c>--rerun</c> runs every
/// task again. Exit 0 when the attempt
/// succeeds, 1 when it fails or the workflow is invalid, 2 for a bad argument, 130 on Ctrl-C, 143 on SIGTERM.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunCommand(CliContext context)
{
    public Task<int> RunAsync(RunOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, () => RunCoreAsync(options, cancellationToken));

    private async Task<int> RunCoreAsync(RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var definition = await WorkflowFiles.LoadValidAsync(options.WorkflowFile, context.CreateOperators(), context.Error, cancellationToken);
        var project = Path.GetDirectoryName(Path.GetFullPath(options.WorkflowFile))!;
        var state = StateLocation.Resolve(project, options.StateDirectory);
        var times = SessionTimeOption.Resolve(options.Session, definition, context.Now);
        var sessionParams = await SessionParamsReader.ReadAsync(options.Params, options.ParamsFile, cancellationToken);
        var request = new AttemptRequest
        {
            ProjectDirectory = project,
            WorkflowName = definition.Name,
            SessionTime = times.SessionTime,
            SessionParams = SessionParams.Merge(null, sessionParams),
            LastSessionTime = times.LastSessionTime,
            NextSessionTime = times.NextSessionTime,
            Selection = Selection(options, definition.Name),
        };

        if (options.MaxParallel is { } max && max < 1)
        {
            throw new UserError("--max-parallel must be at least 1", 2);
        }

        if (options.DryRun)
        {
            await context.Output.WriteLineAsync(
                $"dry run: would run session {times.SessionTime.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} of {definition.Name} " +
                $"in {project} (state {state.StateDirectory}); nothing was run");
            return 0;
        }

        if (Remote.ServerAddressFile.TryRead(state.StateDirectory) is { } server)
        {
            return await new ServerRun(context).RunAsync(server, options, request.ProjectName, definition.Name, state.StateDirectory, cancellationToken);
        }

        var engineContext = options.MaxParallel is { } workers ? context with { ActivityWorkers = workers } : context;

        // Metrics and spans go out over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (flushed after the engine stops); else nothing.
        using var telemetry = Server.Telemetry.TelemetryExport.StartOtlp(Environment.GetEnvironmentVariable);
        await using var engine = await EngineOpener.OpenAsync(engineContext, state.StateDirectory, cancellationToken);
        var sessionId = SessionRecord.IdOf(new SessionKey(request.ProjectName, definition.Name, times.SessionTime));
        var attempts = await engine.Runs.GetAttemptsAsync(sessionId, cancellationToken);
        var session = times.SessionTime.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
        if (attempts.Count > 0 && attempts[^1] is var latest)
        {
            switch (latest.Status)
            {
                case AttemptStatus.Running:
                    await context.Output.WriteLineAsync($"carrying on attempt {latest.AttemptId}: it was interrupted before it finished (tasks that succeeded are not run again)");
                    if (sessionParams.Count > 0)
                    {
                        await context.Error.WriteLineAsync("warning: -p/--params-file are ignored: the interrupted attempt keeps the params it started with");
                    }

                    request = request with
                    {
                        RetryAttemptName = latest.RetryAttemptName,
                        SessionParams = latest.Params ?? request.SessionParams,
                        Resume = latest.ResumedFrom is null ? ResumeMode.None : ResumeMode.Failed,
                        ResumeFromAttemptId = latest.ResumedFrom,
                    };
                    break;
                case AttemptStatus.Success when options.Rerun:
                    request = request with { RetryAttemptName = AttemptRetries.NewName("rerun", attempts), Resume = ResumeMode.None };
                    break;
                case AttemptStatus.Success when request.Selection is null && await EveryTaskSucceededAsync(engine, definition, latest.AttemptId, cancellationToken):
                    await context.Output.WriteLineAsync(
                        $"session {session} of {definition.Name} already succeeded (attempt {latest.AttemptId}); nothing to do. Use --rerun to run it again, --start/--goal +task to run some of it again, or --session for another session.");
                    return 0;
                case AttemptStatus.Success:
                    await context.Output.WriteLineAsync(
                        $"session {session} of {definition.Name} succeeded in attempt {latest.AttemptId}: running what is new or chosen, skipping the tasks that succeeded (use --rerun to run everything)");
                    request = request with { RetryAttemptName = AttemptRetries.NewName("resume", attempts), Resume = ResumeMode.Failed, ResumeFromAttemptId = latest.AttemptId };
                    break;
                default:
                    await context.Output.WriteLineAsync(
                        $"attempt {latest.AttemptId} {(latest.Status == AttemptStatus.Killed ? "was killed" : "failed")}: retrying, reusing the tasks that succeeded (use --rerun to run everything)");
                    request = request with { RetryAttemptName = AttemptRetries.NewName("retry", attempts), Resume = ResumeMode.Failed, ResumeFromAttemptId = latest.AttemptId };
                    break;
            }
        }

        var started = await engine.StartAsync(request, cancellationToken);
        await context.Output.WriteLineAsync($"running {definition.Name}, session {session}, attempt {started.AttemptId}");
        try
        {
            return await new AttemptWatcher(context).WatchAsync(engine, state.StateDirectory, started.AttemptId, options.Quiet, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Output.WriteLineAsync(
                $"interrupted: stopped waiting for attempt {started.AttemptId}. Its state is saved; run `bo run {options.WorkflowFile} --session {times.SessionTime.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}` again to carry it on, or `bo kill {started.AttemptId}` to end it.");
            return context.Stop.ExitCode;
        }
    }

    /// <summary>
    /// True when every task of the workflow as it is now succeeded in the attempt: running the
    /// session again would skip them all. A task added since, or one that never ran, says no.
    /// </summary>
    private static async Task<bool> EveryTaskSucceededAsync(LocalEngine engine, Language.Model.WorkflowDefinition definition, string attemptId, CancellationToken cancellationToken)
    {
        var succeeded = (await engine.Runs.GetTasksAsync(attemptId, cancellationToken))
            .Where(t => t.State == TaskState.Success)
            .Select(t => t.TaskName)
            .ToHashSet(StringComparer.Ordinal);
        var plan = Language.Compilation.TaskPlanCompiler.Compile(definition);
        return Tasks(plan, plan.Root).All(t => succeeded.Contains(t.FullName));

        static IEnumerable<Language.Compilation.PlannedTask> Tasks(Language.Compilation.TaskPlan plan, Language.Compilation.PlannedTask task) =>
            plan.NormalChildren(task).SelectMany(child => Tasks(plan, child)).Prepend(task);
    }

    /// <summary>
    /// <c>+task</c>, <c>--start</c>, <c>--goal</c> as full names: <c>+load</c> means <c>+wf+load</c>,
    /// as in <c>digdag run</c>; a full name is taken as is.
    /// </summary>
    private static TaskSelection? Selection(RunOptions options, string workflow)
    {
        string? Full(string? name)
        {
            if (name is null)
            {
                return null;
            }

            if (!name.StartsWith('+'))
            {
                throw new UserError($"task names start with '+': did you mean '+{name}'?", 2);
            }

            var root = "+" + workflow;
            return name == root || name.StartsWith(root + "+", StringComparison.Ordinal) || name.StartsWith(root + "^", StringComparison.Ordinal) ? name : root + name;
        }

        var selection = new TaskSelection(Full(options.OnlyTask), Full(options.StartTask), Full(options.GoalTask));
        return selection.IsEmpty ? null : selection;
    }
}
