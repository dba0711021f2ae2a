using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>The arguments of <c>bo start</c>: a workflow file locally, a project and a workflow on a server.</summary>
public sealed record StartOptions(string Target, string? Workflow)
{
    public string? Session { get; init; }

    public IReadOnlyList<string> Params { get; init; } = [];

    public string? ParamsFile { get; init; }

    public string? StateDirectory { get; init; }
}

/// <summary>
/// <c>bo start &lt;file.dig&gt;</c>: starts a session without waiting for it. Locally the attempt
/// is recorded in the state folder and runs while an engine holds it (<c>bo server</c> on the
/// folder, or <c>bo run</c> carrying it on); a session that already has an attempt is refused.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StartCommand(CliContext context)
{
    public Task<int> RunAsync(StartOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, async () =>
        {
            ArgumentNullException.ThrowIfNull(options);
            if (options.Workflow is not null)
            {
                throw new UserError("locally, `bo start` takes a workflow file (bo start daily.dig); `bo start <project> <workflow>` is for a server (-e URL)", 2);
            }

            var definition = await WorkflowFiles.LoadValidAsync(options.Target, context.CreateOperators(), context.Error, cancellationToken);
            var project = Path.GetDirectoryName(Path.GetFullPath(options.Target))!;
            var state = StateLocation.Resolve(project, options.StateDirectory);
            var times = SessionTimeOption.Resolve(options.Session, definition, context.Now);
            var sessionParams = await SessionParamsReader.ReadAsync(options.Params, options.ParamsFile, cancellationToken);
            await using var engine = await EngineOpener.OpenAsync(context, state.StateDirectory, cancellationToken);
            var request = new AttemptRequest
            {
                ProjectDirectory = project,
                WorkflowName = definition.Name,
                SessionTime = times.SessionTime,
                SessionParams = SessionParams.Merge(null, sessionParams),
                LastSessionTime = times.LastSessionTime,
                NextSessionTime = times.NextSessionTime,
            };
            var key = new SessionKey(request.ProjectName, definition.Name, times.SessionTime);
            if (await engine.Runs.GetLatestAttemptAsync(SessionRecord.IdOf(key), cancellationToken) is { } existing)
            {
                throw new UserError($"session {Times.Format(times.SessionTime)} of {definition.Name} already has attempt {existing.AttemptId} ({TaskStates.Name(existing.Status)}): use `bo retry {existing.AttemptId}` to run it again");
            }

            var started = await engine.StartAsync(request, cancellationToken);
            await context.Output.WriteLineAsync(
                $"started {definition.Name}, session {Times.Format(times.SessionTime)}, attempt {started.AttemptId}; it runs while `bo server` serves {project}, or when `bo run {options.Target}` carries it on");
            return 0;
        });
}
