using BatchOrchestrator.Api.Archives;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Projects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>The project routes of the API (docs/api.md): projects, their revisions and workflows.</summary>
internal static class ProjectEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var projects = api.MapGroup("/projects").WithTags("projects");
        projects.MapGet("", async (IProjectRepository catalog, CancellationToken cancellationToken) =>
            Results.Ok((await catalog.GetCurrentRevisionsAsync(cancellationToken)).Select(ProjectView.Of).ToList()))
            .Produces<List<ProjectView>>();

        projects.MapGet("/{project}", async (string project, IProjectRepository catalog, CancellationToken cancellationToken) =>
            await WithProjectAsync(project, catalog, cancellationToken, revision => Results.Ok(ProjectView.Of(revision))))
            .Produces<ProjectView>().ProducesProblem(StatusCodes.Status404NotFound);

        projects.MapPut("/{project}", PushAsync)
            .Accepts<byte[]>("application/gzip")
            .Produces<ProjectView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        projects.MapDelete("/{project}", DeleteAsync)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed)
            .ProducesProblem(StatusCodes.Status409Conflict);

        // The current revision in the format a push takes, from the stored files: what `bo download` unpacks.
        projects.MapGet("/{project}/archive", async (string project, IProjectRepository catalog, CancellationToken cancellationToken) =>
        {
            if (ApiProblems.CheckName("project", project) is { } bad)
            {
                return bad;
            }

            return await catalog.GetCurrentRevisionAsync(project, cancellationToken) is { } revision
                ? Results.File(await ProjectArchive.WriteAsync(revision.Files, cancellationToken), "application/gzip", $"{project}.tar.gz")
                : NoProject(project);
        }).Produces<byte[]>(StatusCodes.Status200OK, "application/gzip").ProducesProblem(StatusCodes.Status404NotFound);

        projects.MapGet("/{project}/revisions", async (string project, IProjectRepository catalog, CancellationToken cancellationToken) =>
        {
            if (ApiProblems.CheckName("project", project) is { } bad)
            {
                return bad;
            }

            var revisions = await catalog.GetRevisionsAsync(project, cancellationToken);
            return revisions.Count == 0
                ? NoProject(project)
                : Results.Ok(revisions.Select(r => new RevisionView(r.Revision, r.CreatedAt, r.Source)).ToList());
        }).Produces<List<RevisionView>>().ProducesProblem(StatusCodes.Status404NotFound);

        projects.MapGet("/{project}/files", async (string project, IProjectRepository catalog, CancellationToken cancellationToken) =>
            await WithProjectAsync(project, catalog, cancellationToken, revision =>
                Results.Ok(revision.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new ProjectFileView(f.Key, f.Value.Length)).ToList())))
            .Produces<List<ProjectFileView>>().ProducesProblem(StatusCodes.Status404NotFound);

        // Only the revision's own files, looked up by name: nothing on disk is read, so no path can reach outside the project.
        projects.MapGet("/{project}/files/{**path}", async (string project, string path, IProjectRepository catalog, CancellationToken cancellationToken) =>
            await WithProjectAsync(project, catalog, cancellationToken, revision =>
                revision.Files.TryGetValue(path, out var bytes)
                    ? Results.Bytes(bytes, "text/plain; charset=utf-8")
                    : ApiProblems.NotFound($"project {project} has no file '{path}'{Suggestions.DidYouMean(path, [.. revision.Files.Keys])}")))
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status404NotFound);

        projects.MapGet("/{project}/workflows", async (string project, IProjectRepository catalog, RevisionPlanSource plans, CancellationToken cancellationToken) =>
            await WithProjectAsync(project, catalog, cancellationToken, revision =>
                Results.Ok(ProjectView.WorkflowNames(revision).Select(name => Describe(plans, revision, name)).ToList())))
            .Produces<List<WorkflowView>>().ProducesProblem(StatusCodes.Status404NotFound);

        projects.MapGet("/{project}/workflows/{workflow}", async (string project, string workflow, IProjectRepository catalog, RevisionPlanSource plans, CancellationToken cancellationToken) =>
        {
            if (ApiProblems.CheckName("workflow", workflow) is { } bad)
            {
                return bad;
            }

            return await WithProjectAsync(project, catalog, cancellationToken, revision =>
            {
                if (!ProjectView.WorkflowNames(revision).Contains(workflow))
                {
                    return ApiProblems.NotFound($"project {project} has no workflow '{workflow}'{Suggestions.DidYouMean(workflow, ProjectView.WorkflowNames(revision))}");
                }

                try
                {
                    var loaded = plans.Get(new PlanReference(revision.Id, workflow));
                    var plan = loaded.Plan;
                    var tasks = plan.Tasks.Select(t => new PlannedTaskView(
                        t.FullName,
                        t.Operator?.Name,
                        t.ParentIndex is { } parent ? plan[parent].FullName : null,
                        t.Parallel.Enabled,
                        t.Role.ToString().ToLowerInvariant(),
                        [.. t.UpstreamIndexes.Select(i => plan[i].FullName)])).ToList();
                    var definition = loaded.Definition;
                    return Results.Ok(new WorkflowDetailView(project, workflow, revision.Id, definition.TimeZoneId, definition.ZonedSchedule?.Describe(), tasks));
                }
                catch (WorkflowLanguageException e)
                {
                    return Results.Problem(detail: e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid workflow");
                }
            });
        }).Produces<WorkflowDetailView>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Runs <paramref name="found"/> with the project's current revision; 400 for a bad name, 404 for an unknown project.</summary>
    internal static async Task<IResult> WithProjectAsync(string project, IProjectCatalog catalog, CancellationToken cancellationToken, Func<ProjectRevision, IResult> found)
    {
        if (ApiProblems.CheckName("project", project) is { } bad)
        {
            return bad;
        }

        return await catalog.GetCurrentRevisionAsync(project, cancellationToken) is { } revision ? found(revision) : NoProject(project);
    }

    internal static IResult NoProject(string project) => ApiProblems.NotFound($"no project '{project}' (see GET /api/projects)");

    private static WorkflowView Describe(RevisionPlanSource plans, ProjectRevision revision, string name)
    {
        try
        {
            var definition = plans.Get(new PlanReference(revision.Id, name)).Definition;
            return new WorkflowView(revision.Project, name, revision.Id, definition.TimeZoneId, definition.ZonedSchedule?.Describe(), null);
        }
        catch (WorkflowLanguageException e)
        {
            return new WorkflowView(revision.Project, name, revision.Id, "UTC", null, e.Message);
        }
    }

    /// <summary>
    /// Takes a project out of the catalog (its schedules with it, as they are read from the
    /// catalog); refused while one of its attempts runs, which would lose the project it belongs to.
    /// The check and the delete are not one transaction: an attempt started between them runs on
    /// from its stored revision.
    /// </summary>
    private static async Task<IResult> DeleteAsync(string project, IProjectRepository catalog, IRunStore runs, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckName("project", project) is { } bad)
        {
            return bad;
        }

        if (await catalog.GetCurrentRevisionAsync(project, cancellationToken) is null)
        {
            return NoProject(project);
        }

        var running = await runs.ListAttemptsAsync(new AttemptQuery { Project = project, Status = AttemptStatus.Running, PageSize = 1 }, cancellationToken);
        if (running.Items.Count > 0)
        {
            var attempt = running.Items[0];
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Project has a running attempt",
                detail: $"project {project} has a running attempt (workflow {attempt.Session.Workflow}, attempt {attempt.AttemptId}): kill it (bo kill) or let it finish, then delete the project");
        }

        try
        {
            return await catalog.DeleteAsync(project, cancellationToken) ? Results.NoContent() : NoProject(project);
        }
        catch (NotSupportedException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Deleting this project is not supported here", detail: e.Message);
        }
    }

    /// <summary>
    /// A new revision from a <c>.tar.gz</c> of the project folder. Every entry is checked before
    /// anything is stored: regular files and folders only, paths inside the project, within the
    /// size limit, and every top-level workflow valid.
    /// </summary>
    private static async Task<IResult> PushAsync(string project, HttpContext http, IProjectRepository catalog, IOperatorCatalog operators, ApiOptions options, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckName("project", project) is { } bad)
        {
            return bad;
        }

        var body = await ApiRequests.ReadBytesAsync(http, options.Archives.MaxCompressedBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        Dictionary<string, byte[]> files;
        try
        {
            files = await ProjectArchive.ReadAsync(body.Value!, options.Archives, cancellationToken);
        }
        catch (ArchiveRefusedException e)
        {
            return Results.Problem(detail: e.Message, statusCode: e.Status, title: e.Status == StatusCodes.Status413PayloadTooLarge ? "Archive too large" : "Bad archive");
        }

        var check = ProjectRevision.Create(project, ".", files);
        var workflows = ProjectView.WorkflowNames(check);
        if (workflows.Count == 0)
        {
            return ApiProblems.BadRequest("the archive has no workflow: expected .dig files at its top level");
        }

        var errors = new List<string>();
        foreach (var workflow in workflows)
        {
            if (ProjectNames.Problem(workflow) is { } problem)
            {
                errors.Add($"{workflow}.dig: {problem}");
                continue;
            }

            var result = await new WorkflowLoader(new RevisionWorkflowFiles(check), operators).LoadAsync(workflow + WorkflowLoader.Extension, cancellationToken);
            errors.AddRange(result.Errors.Select(d => d.ToString()));
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["workflows"] = [.. errors] }, detail: string.Join("\n", errors), title: "Invalid workflows");
        }

        ProjectRevision revision;
        try
        {
            revision = await catalog.PushAsync(project, files, cancellationToken);
        }
        catch (NotSupportedException e)
        {
            // A host that serves only the workflows it was deployed with (the Functions app).
            return Results.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Pushing projects is not supported here", detail: e.Message);
        }

        return Results.Created($"/api/projects/{project}", ProjectView.Of(revision));
    }
}
