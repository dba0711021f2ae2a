using BatchOrchestrator.Engine.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>The session routes of the API (docs/api.md).</summary>
internal static class SessionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var sessions = api.MapGroup("/sessions").WithTags("sessions");
        sessions.MapGet("", async (string? project, string? workflow, string? pageSize, string? continuation, IRunStore runs, CancellationToken cancellationToken) =>
        {
            if (ApiProblems.First(
                    project is null ? null : ApiProblems.CheckName("project", project),
                    workflow is null ? null : ApiProblems.CheckName("workflow", workflow),
                    ApiRequests.ReadInt(pageSize, "pageSize", 1, 1000, 100, out var size)) is { } bad)
            {
                return bad;
            }

            RecordPage<SessionRecord> page;
            try
            {
                page = await runs.ListSessionsAsync(new SessionQuery { Project = project, Workflow = workflow, PageSize = size, ContinuationToken = continuation }, cancellationToken);
            }
            catch (ArgumentException)
            {
                // Stores refuse a token they did not make.
                return ApiProblems.Invalid("continuation", $"'{continuation}' is not a continuation from a previous page");
            }

            var items = new List<SessionView>();
            foreach (var session in page.Items)
            {
                items.Add(SessionView.Of(session, await runs.GetLatestAttemptAsync(session.SessionId, cancellationToken)));
            }

            return Results.Ok(new PageView<SessionView>(items, page.ContinuationToken));
        }).Produces<PageView<SessionView>>();

        sessions.MapGet("/{sessionId}", async (string sessionId, IRunStore runs, CancellationToken cancellationToken) =>
            await runs.GetSessionAsync(sessionId, cancellationToken) is { } session
                ? Results.Ok(SessionView.Of(session, await runs.GetLatestAttemptAsync(session.SessionId, cancellationToken)))
                : NoSession(sessionId))
            .Produces<SessionView>().ProducesProblem(StatusCodes.Status404NotFound);

        sessions.MapGet("/{sessionId}/attempts", async (string sessionId, IRunStore runs, CancellationToken cancellationToken) =>
            await runs.GetSessionAsync(sessionId, cancellationToken) is null
                ? NoSession(sessionId)
                : Results.Ok((await runs.GetAttemptsAsync(sessionId, cancellationToken)).Select(AttemptView.Of).ToList()))
            .Produces<List<AttemptView>>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult NoSession(string sessionId) => ApiProblems.NotFound($"no session '{sessionId}' (see GET /api/sessions)");
}
