using BatchOrchestrator.Api.Lists;
using BatchOrchestrator.Engine.Sessions;
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
        sessions.MapGet("", ListAsync).Produces<PageView<SessionView>>().ProducesProblem(StatusCodes.Status400BadRequest);

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

    /// <summary>Sessions, newest first; <c>status</c> is their latest attempt's, and <c>from</c>, <c>to</c>, <c>q</c> are a <see cref="ListFilter"/>.</summary>
    private static async Task<IResult> ListAsync(
        string? project, string? workflow, string? status, string? from, string? to, string? q, string? pageSize, string? continuation, IRunStore runs, CancellationToken cancellationToken)
    {
        if (ListRequest.Read(project, workflow, status, from, to, q, pageSize, out var request) is { } bad)
        {
            return bad;
        }

        var (wanted, filter, size) = (request.Status, request.Filter, request.PageSize);
        var latest = new Dictionary<string, AttemptRecord?>(StringComparer.Ordinal);
        async Task<AttemptRecord?> LatestAsync(SessionRecord session)
        {
            if (!latest.TryGetValue(session.SessionId, out var attempt))
            {
                attempt = await runs.GetLatestAttemptAsync(session.SessionId, cancellationToken);
                latest[session.SessionId] = attempt;
            }

            return attempt;
        }

        RecordPage<SessionRecord> page;
        try
        {
            var query = new SessionQuery { Project = project, Workflow = workflow, PageSize = size, ContinuationToken = continuation };
            page = wanted is null && filter.IsEmpty
                ? await runs.ListSessionsAsync(query, cancellationToken)
                : await FilteredPages.ReadAsync(
                    (count, token) => runs.ListSessionsAsync(query with { PageSize = count, ContinuationToken = token }, cancellationToken),
                    async session =>
                    {
                        var attempt = await LatestAsync(session);
                        return (wanted is null || attempt?.Status == wanted)
                            && filter.Matches(new SessionKey(session.Project, session.Workflow, session.SessionTime), session.SessionId, attempt?.AttemptId, attempt?.Params?.GetRawText());
                    },
                    size,
                    continuation);
        }
        catch (ArgumentException)
        {
            // Stores refuse a token they did not make.
            return ApiProblems.Invalid("continuation", $"'{continuation}' is not a continuation from a previous page");
        }

        var items = new List<SessionView>();
        foreach (var session in page.Items)
        {
            items.Add(SessionView.Of(session, await LatestAsync(session)));
        }

        return Results.Ok(new PageView<SessionView>(items, page.ContinuationToken));
    }

    private static IResult NoSession(string sessionId) => ApiProblems.NotFound($"no session '{sessionId}' (see GET /api/sessions)");
}
