using BatchOrchestrator.Api.Archives;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Engine.Projects;
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
