using BatchOrchestrator.Engine.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api.Schedules;

/// <summary>The schedule routes of the API (docs/api.md): list, get, enable, disable, skip, backfill.</summary>
internal static class ScheduleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var schedules = api.MapGroup("/schedules").WithTags("schedules");
        schedules.MapGet("/", async (string? project, string? workflow, ScheduleControl control, TimeProvider clock, CancellationToken cancellationToken) =>
            Results.Ok(await control.ListAsync(project, workflow, clock.GetUtcNow(), cancellationToken)));
        schedules.MapGet("/{project}/{workflow}", (string project, string workflow, ScheduleControl control, TimeProvider clock, CancellationToken cancellationToken) =>
            Answer(async () => Results.Ok(await control.GetAsync(project, workflow, clock.GetUtcNow(), cancellationToken))));
        schedules.MapPost("/{project}/{workflow}/enable", (string project, string workflow, ScheduleControl control, TimeProvider clock, CancellationToken cancellationToken) =>
            Answer(async () => Results.Ok(await control.SetEnabledAsync(project, workflow, true, clock.GetUtcNow(), cancellationToken))));
        schedules.MapPost("/{project}/{workflow}/disable", (string project, string workflow, ScheduleControl control, TimeProvider clock, CancellationToken cancellationToken) =>
            Answer(async () => Results.Ok(await control.SetEnabledAsync(project, workflow, false, clock.GetUtcNow(), cancellationToken))));
        schedules.MapPost("/{project}/{workflow}/skip", (string project, string workflow, SkipBody body, ScheduleControl control, TimeProvider clock, CancellationToken cancellationToken) =>
            Answer(async () => Results.Ok(await control.SkipAsync(project, workflow, body.Count, body.UntilSessionTime, clock.GetUtcNow(), cancellationToken))));
        schedules.MapPost("/{project}/{workflow}/backfill", (string project, string workflow, BackfillBody body, Backfills backfills, TimeProvider clock, CancellationToken cancellationToken) =>
            Answer(() => BackfillAsync(project, workflow, body, backfills, clock.GetUtcNow(), cancellationToken)));
    }

    private static async Task<IResult> BackfillAsync(string project, string workflow, BackfillBody body, Backfills backfills, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.From))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["the first session time is required, e.g. \"2026-11-01\""] });
        }

        var plan = await backfills.PlanAsync(new BackfillRequest(project, workflow, body.From, body.Count, body.Name), now, cancellationToken);
        if (body.DryRun)
        {
            return Results.Ok(new BackfillDryRun(plan.Workflow.Project, plan.Workflow.Workflow, plan.Name, plan.SessionTimes));
        }

        var start = await backfills.CreateAsync(plan, now, cancellationToken);
        var view = BackfillView.Of(start.Backfill);
        return start.Created
            ? Results.Accepted($"/api/schedules/{Uri.EscapeDataString(project)}/{Uri.EscapeDataString(workflow)}/backfill", view)
            : Results.Conflict(new BackfillConflict(view, $"a backfill named '{view.Name}' already exists for {project}/{workflow}; give another name to run those sessions again"));
    }

    /// <summary>A schedule request's user mistakes as problem+json: 404 for what does not exist, 400 for the rest.</summary>
    private static async Task<IResult> Answer(Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (ScheduleRequestException e)
        {
            return e.NotFound
                ? Results.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found")
                : Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }
    }
}

/// <summary>POST …/skip: the next <see cref="Count"/> sessions, or every session before <see cref="UntilSessionTime"/>.</summary>
public sealed record SkipBody(int? Count, string? UntilSessionTime);

/// <summary>POST …/backfill.</summary>
public sealed record BackfillBody(string? From, int? Count, string? Name, bool DryRun);

/// <summary>The sessions a backfill would run.</summary>
internal sealed record BackfillDryRun(string Project, string Workflow, string Name, IReadOnlyList<DateTimeOffset> SessionTimes)
{
    public bool DryRun => true;
}

/// <summary>The 409 of a backfill whose name is taken: the existing backfill and what to do.</summary>
internal sealed record BackfillConflict(BackfillView Backfill, string Detail);

/// <summary>A backfill as the API shows it.</summary>
internal sealed record BackfillView(
    string Project,
    string Workflow,
    string Name,
    string Revision,
    IReadOnlyList<DateTimeOffset> SessionTimes,
    int Started,
    string? CurrentAttemptId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt)
{
    public string Status => FinishedAt is null ? "running" : "finished";

    public static BackfillView Of(BackfillState backfill) => new(
        backfill.Project, backfill.Workflow, backfill.Name, backfill.Revision, backfill.SessionTimes,
        backfill.Started, backfill.CurrentAttemptId, backfill.CreatedAt, backfill.FinishedAt);
}
