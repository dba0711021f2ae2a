using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Cli.Remote;
using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Scheduling;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>What <c>bo backfill</c> was asked.</summary>
public sealed record BackfillOptions(string Workflow, string From)
{
    public int? Count { get; init; }

    public string? Name { get; init; }

    public bool DryRun { get; init; }

    public StateOptions State { get; init; } = new();
}

/// <summary>
/// <c>bo backfill &lt;workflow&gt; --from TIME</c>: runs past sessions of a scheduled workflow on
/// the local engine, one after another, each as an attempt named after the backfill. The backfill
/// is kept in the state folder: the same command again carries on an interrupted backfill and
/// never runs a finished one twice (another <c>--name</c> runs the sessions again). Exit 0 when
/// every session succeeded, 1 when one failed (the others still run), 2 for a bad argument,
/// 130 on Ctrl-C.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackfillCommand(CliContext context)
{
    public Task<int> RunAsync(BackfillOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, () => RunCoreAsync(options, cancellationToken));

    private async Task<int> RunCoreAsync(BackfillOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.State.Endpoint is { } endpoint)
        {
            return await RunOnServerAsync(options, endpoint, cancellationToken);
        }

        var location = options.State.Resolve();
        var catalog = new ProjectFolderCatalog(location.ProjectDirectory);
        var workflows = new ScheduledWorkflows(catalog, context.CreateOperators());
        var workflow = Path.GetFileNameWithoutExtension(options.Workflow);
        BackfillPlan plan;
        try
        {
            plan = await Backfills.PlanAsync(workflows, new BackfillRequest(catalog.Name, workflow, options.From, options.Count, options.Name), context.Now, cancellationToken);
        }
        catch (ScheduleRequestException e)
        {
            throw new UserError(e.Message, 2);
        }

        if (options.DryRun)
        {
            await context.Output.WriteLineAsync($"dry run: backfill {plan.Name} would run {Sessions(plan.SessionTimes.Count)} of {workflow}, one after another; nothing was run");
            foreach (var time in plan.SessionTimes)
            {
                await context.Output.WriteLineAsync("  " + Times.Format(time));
            }

            return 0;
        }

        await using var store = await SqliteScheduleStore.OpenAsync(Path.Combine(location.StateDirectory, SchedulerServiceCollectionExtensions.DatabaseFile), cancellationToken);
        await using var engine = await EngineOpener.OpenAsync(context, location.StateDirectory, cancellationToken);
        var backfills = new Backfills(workflows, store, new ScheduledSessionStarter(engine.Attempts));
        var (backfill, created) = await backfills.CreateAsync(plan, context.Now, cancellationToken);
        if (backfill.IsFinished)
        {
            await context.Output.WriteLineAsync(
                $"backfill {backfill.Name} of {workflow} already ran ({Sessions(backfill.SessionTimes.Count)}, finished {Times.Format(backfill.FinishedAt)}); nothing to do. Give --name to run those sessions again.");
            return 0;
        }

        await context.Output.WriteLineAsync(created
            ? $"backfill {backfill.Name}: {Sessions(backfill.SessionTimes.Count)} of {workflow}, one after another"
            : $"carrying on backfill {backfill.Name}: {backfill.Started} of {Sessions(backfill.SessionTimes.Count)} started before");
        try
        {
            return await DriveAsync(backfills, backfill, engine, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Output.WriteLineAsync($"interrupted: the backfill is saved; run the same command again to carry it on (backfill {backfill.Name}).");
            return context.Stop.ExitCode;
        }
    }

    /// <summary>Steps the backfill, waiting for each session's attempt, until its last session has ended.</summary>
    private async Task<int> DriveAsync(Backfills backfills, BackfillState backfill, Server.Local.LocalEngine engine, CancellationToken cancellationToken)
    {
        var failed = 0;
        while (!backfill.IsFinished)
        {
            var current = backfill.CurrentAttemptId;
            (backfill, var decision) = await backfills.StepAsync(backfill, context.Now, cancellationToken);
            if (decision is { Outcome: SessionOutcome.Failed })
            {
                throw new UserError($"session {Times.Format(decision.SessionTime)} could not start: {decision.Error}");
            }

            // A new attempt was started, or (carrying on) the one started before still runs.
            var waitFor = decision?.AttemptId ?? (backfill.IsFinished ? null : current);
            if (waitFor is null)
            {
                continue;
            }

            var outcome = await engine.WaitAsync(waitFor, cancellationToken);
            var attempt = await engine.Runs.GetAttemptAsync(waitFor, cancellationToken);
            var sessionTime = decision?.SessionTime ?? attempt?.Session.SessionTime;
            await context.Output.WriteLineAsync($"  {Times.Format(sessionTime)}  {(outcome.Succeeded ? "success" : "error")}  {waitFor}");
            failed += outcome.Succeeded ? 0 : 1;
        }

        await context.Output.WriteLineAsync(failed == 0
            ? $"backfill {backfill.Name} finished: {Sessions(backfill.SessionTimes.Count)} succeeded"
            : $"backfill {backfill.Name} finished: {failed} of {Sessions(backfill.SessionTimes.Count)} failed (see `bo attempts`; `bo retry <attempt> --failed` resumes one)");
        return failed == 0 ? 0 : 1;
    }

    private static string Sessions(int count) => count == 1 ? "1 session" : $"{count} sessions";

    /// <summary>
    /// <c>-e</c>: the server's scheduler runs the backfill (one session after another, in the
    /// background); this starts it, or says it exists, and returns. The project is the
    /// <c>--project</c> folder's name (default: the current folder's).
    /// </summary>
    private async Task<int> RunOnServerAsync(BackfillOptions options, string endpoint, CancellationToken cancellationToken)
    {
        using var server = new ServerClient(endpoint, options.State.Token);
        var project = Path.GetFileName(Path.GetFullPath(options.State.ProjectDirectory ?? "."));
        var workflow = Path.GetFileNameWithoutExtension(options.Workflow);
        var path = $"api/schedules/{ServerClient.Escape(project)}/{ServerClient.Escape(workflow)}/backfill";
        var (status, body) = await server.PostAsync(path, new Api.Schedules.BackfillBody(options.From, options.Count, options.Name, options.DryRun), cancellationToken);
        var backfill = status == System.Net.HttpStatusCode.Conflict ? body.GetProperty("backfill") : body;
        var name = backfill.GetProperty("name").GetString();
        var times = backfill.GetProperty("sessionTimes").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
        var message = (options.DryRun, status) switch
        {
            (true, _) => $"dry run: backfill {name} would run {Sessions(times.Count)} of {project}/{workflow} on {server.Endpoint}; nothing was run",
            (_, System.Net.HttpStatusCode.Conflict) => $"backfill {name} of {project}/{workflow} already exists on {server.Endpoint} ({backfill.GetProperty("status").GetString()}): give another --name to run those sessions again",
            _ => $"backfill {name} started on {server.Endpoint}: {Sessions(times.Count)} of {project}/{workflow}, one after another (follow with `bo sessions -e {endpoint}`)",
        };
        await context.Output.WriteLineAsync(message);
        foreach (var time in times)
        {
            await context.Output.WriteLineAsync("  " + Times.Format(time));
        }

        return 0;
    }
}
