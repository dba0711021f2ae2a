using System.Globalization;
using BatchOrchestrator.Api.Lists;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>The attempt routes of the API (docs/api.md): list, start, show, tasks, retry, kill.</summary>
internal static class AttemptEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var attempts = api.MapGroup("/attempts").WithTags("attempts");
        attempts.MapGet("", ListAsync).Produces<PageView<AttemptView>>();

        attempts.MapPost("", StartAsync)
            .Accepts<StartAttemptBody>("application/json")
            .Produces<AttemptView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        attempts.MapGet("/{attemptId}", async (string attemptId, IRunStore runs, CancellationToken cancellationToken) =>
            await runs.GetAttemptAsync(attemptId, cancellationToken) is { } attempt ? Results.Ok(AttemptView.Of(attempt)) : NoAttempt(attemptId))
            .Produces<AttemptView>().ProducesProblem(StatusCodes.Status404NotFound);

        attempts.MapGet("/{attemptId}/tasks", async (string attemptId, IRunStore runs, CancellationToken cancellationToken) =>
        {
            if (await runs.GetAttemptAsync(attemptId, cancellationToken) is null)
            {
                return NoAttempt(attemptId);
            }

            var tasks = await runs.GetTasksAsync(attemptId, cancellationToken);
            var names = tasks.Select(t => t.TaskName).ToHashSet(StringComparer.Ordinal);
            return Results.Ok(tasks.Select(t => TaskView.Of(t, TaskNames.ParentOf(t.TaskName, names))).ToList());
        }).Produces<List<TaskView>>().ProducesProblem(StatusCodes.Status404NotFound);

        attempts.MapPost("/{attemptId}/retry", RetryAsync)
            .Accepts<RetryBody>("application/json")
            .Produces<AttemptView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        attempts.MapPost("/{attemptId}/kill", async (string attemptId, AttemptLauncher launcher, CancellationToken cancellationToken) =>
        {
            if (await launcher.Runs.GetAttemptAsync(attemptId, cancellationToken) is not { } attempt)
            {
                return NoAttempt(attemptId);
            }

            if (attempt.Status != AttemptStatus.Running || !await launcher.KillAsync(attemptId, cancellationToken))
            {
                var final = await launcher.Runs.GetAttemptAsync(attemptId, cancellationToken) ?? attempt;
                return ApiProblems.Conflict($"attempt {attemptId} already ended: {final.Status.ToString().ToLowerInvariant()}", Existing(final));
            }

            var killed = await launcher.Runs.GetAttemptAsync(attemptId, cancellationToken) ?? attempt;
            return Results.Accepted($"/api/attempts/{attemptId}", AttemptView.Of(killed));
        }).Produces<AttemptView>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    internal static IResult NoAttempt(string attemptId) => ApiProblems.NotFound($"no attempt '{attemptId}' (see GET /api/attempts)");

    private static Dictionary<string, object?> Existing(AttemptRecord attempt) => new() { ["attempt"] = AttemptView.Of(attempt) };

    /// <summary>Attempts of every session (or a project's, a workflow's), newest first, optionally of one status; the continuation is the offset of the next page.</summary>
    private static async Task<IResult> ListAsync(
        string? project, string? workflow, string? status, string? from, string? to, string? q, string? pageSize, string? continuation, IRunStore runs, CancellationToken cancellationToken)
    {
        if (ListRequest.Read(project, workflow, status, from, to, q, pageSize, out var request) is { } bad)
        {
            return bad;
        }

        var (filter, size) = (request.Filter, request.PageSize);
        RecordPage<AttemptRecord> page;
        try
        {
            var query = new AttemptQuery { Project = project, Workflow = workflow, Status = request.Status, PageSize = size, ContinuationToken = continuation };
            page = filter.IsEmpty
                ? await runs.ListAttemptsAsync(query, cancellationToken)
                : await FilteredPages.ReadAsync(
                    (count, token) => runs.ListAttemptsAsync(query with { PageSize = count, ContinuationToken = token }, cancellationToken),
                    attempt => ValueTask.FromResult(filter.Matches(attempt)),
                    size,
                    continuation);
        }
        catch (ArgumentException)
        {
            // Stores refuse a token they did not make.
            return ApiProblems.Invalid("continuation", $"'{continuation}' is not a continuation from a previous page");
        }

        return Results.Ok(new PageView<AttemptView>([.. page.Items.Select(AttemptView.Of)], page.ContinuationToken));
    }

    private static async Task<IResult> StartAsync(HttpContext http, AttemptLauncher launcher, IProjectCatalog catalog, RevisionPlanSource plans, TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = await ApiRequests.ReadJsonAsync<StartAttemptBody>(http, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        if (ApiProblems.First(
                ApiProblems.CheckName("project", request.Project),
                ApiProblems.CheckName("workflow", request.Workflow),
                request.RetryAttemptName is null ? null : ApiProblems.CheckName("retryAttemptName", request.RetryAttemptName)) is { } bad)
        {
            return bad;
        }

        var workflow = await LoadWorkflowAsync(catalog, plans, request.Project, request.Workflow, cancellationToken);
        if (workflow.Problem is not null)
        {
            return workflow.Problem;
        }

        var (revision, definition) = workflow.Value;
        SessionTimes times;
        try
        {
            times = SessionTimes.Resolve(request.SessionTime, definition, clock.GetUtcNow());
        }
        catch (FormatException e)
        {
            return ApiProblems.Invalid("sessionTime", e.Message);
        }

        var started = await launcher.StartAsync(
            new AttemptRequest
            {
                ProjectDirectory = revision.SourceDirectory,
                ProjectName = request.Project,
                Revision = revision.Id,
                WorkflowName = request.Workflow,
                SessionTime = times.SessionTime,
                LastSessionTime = times.LastSessionTime,
                NextSessionTime = times.NextSessionTime,
                SessionParams = SessionParams.Merge(null, request.Params),
                RetryAttemptName = request.RetryAttemptName,
            },
            cancellationToken);
        if (!started.IsNew && request.RetryAttemptName is null)
        {
            // The session ran before: answer with where it stands now, its latest attempt (a retry of the first, perhaps), as Digdag does.
            var session = SessionRecord.IdOf(new SessionKey(request.Project, request.Workflow, times.SessionTime));
            var latest = await launcher.Runs.GetLatestAttemptAsync(session, cancellationToken)
                ?? throw new InvalidOperationException($"session {session} has an attempt but no record of it");
            return ApiProblems.Conflict($"session {times.SessionTime:yyyy-MM-dd'T'HH:mm:sszzz} of {request.Project}/{request.Workflow} already has attempt {latest.AttemptId}", Existing(latest));
        }

        return await StartedAsync(launcher.Runs, started, $"attempt {started.AttemptId} of session {times.SessionTime:yyyy-MM-dd'T'HH:mm:sszzz} of {request.Project}/{request.Workflow} already exists", cancellationToken);
    }

    private static async Task<IResult> RetryAsync(string attemptId, HttpContext http, AttemptLauncher launcher, IProjectCatalog catalog, RevisionPlanSource plans, CancellationToken cancellationToken)
    {
        if (await launcher.Runs.GetAttemptAsync(attemptId, cancellationToken) is not { } original)
        {
            return NoAttempt(attemptId);
        }

        var body = await ApiRequests.ReadJsonAsync<RetryBody>(http, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var request = body.Value!;
        if (request.FromTask is not null && ApiProblems.CheckTaskName("fromTask", request.FromTask.StartsWith('+') || request.FromTask.StartsWith('^') ? request.FromTask : "+" + request.FromTask) is { } bad)
        {
            return bad;
        }

        var workflow = await LoadWorkflowAsync(catalog, plans, original.Session.Project, original.Session.Workflow, cancellationToken);
        if (workflow.Problem is not null)
        {
            return workflow.Problem;
        }

        var (revision, definition) = workflow.Value;
        StartedRetry retry;
        try
        {
            retry = await AttemptRetries.StartAsync(
                launcher,
                new RetryRequest
                {
                    Original = original,
                    Mode = ResumeModes.Of(request.Mode),
                    FromTask = request.FromTask,
                    Params = request.Params,
                    Definition = definition,
                    ProjectDirectory = revision.SourceDirectory,
                    Revision = revision.Id,
                },
                cancellationToken);
        }
        catch (AttemptRequestException e)
        {
            return e.Problem == AttemptRequestProblem.Conflict ? ApiProblems.Conflict(e.Message, Existing(original)) : ApiProblems.Invalid(request.Mode == ResumeModeName.From ? "fromTask" : "mode", e.Message);
        }

        return await StartedAsync(launcher.Runs, retry.Attempt, $"attempt {retry.Attempt.AttemptId} was already started by the same retry", cancellationToken);
    }

    /// <summary>201 with a new attempt; 409 with the one that was there already.</summary>
    private static async Task<IResult> StartedAsync(IRunStore runs, StartedAttempt started, string conflict, CancellationToken cancellationToken)
    {
        var attempt = await runs.GetAttemptAsync(started.AttemptId, cancellationToken)
            ?? throw new InvalidOperationException($"attempt {started.AttemptId} has no record");
        return started.IsNew
            ? Results.Created($"/api/attempts/{Uri.EscapeDataString(attempt.AttemptId)}", AttemptView.Of(attempt))
            : ApiProblems.Conflict(conflict, Existing(attempt));
    }

    /// <summary>A project's current revision and one of its workflows, compiled; 404 when either is unknown, 422 when the workflow is invalid.</summary>
    private static async Task<BodyRead<(ProjectRevision Revision, Language.Model.WorkflowDefinition Definition)>> LoadWorkflowAsync(
        IProjectCatalog catalog, RevisionPlanSource plans, string project, string workflow, CancellationToken cancellationToken)
    {
        if (await catalog.GetCurrentRevisionAsync(project, cancellationToken) is not { } revision)
        {
            return new(default, ProjectEndpoints.NoProject(project));
        }

        var names = ProjectView.WorkflowNames(revision);
        if (!names.Contains(workflow))
        {
            return new(default, ApiProblems.NotFound($"project {project} has no workflow '{workflow}'{Suggestions.DidYouMean(workflow, names)}"));
        }

        try
        {
            return new((revision, plans.Get(new PlanReference(revision.Id, workflow)).Definition), null);
        }
        catch (WorkflowLanguageException e)
        {
            return new(default, Results.Problem(detail: e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid workflow"));
        }
    }
}
