using BatchOrchestrator.Engine.Stores;
using Microsoft.AspNetCore.Http;

namespace BatchOrchestrator.Api.Lists;

/// <summary>
/// The query of the session and attempt lists, checked once for both: project, workflow, status
/// (running, success, error, killed), page size and the <see cref="ListFilter"/>.
/// </summary>
internal sealed record ListRequest(string? Project, string? Workflow, AttemptStatus? Status, int PageSize, ListFilter Filter)
{
    /// <summary>The request, or a 400 problem naming the first bad field.</summary>
    public static IResult? Read(string? project, string? workflow, string? status, string? from, string? to, string? q, string? pageSize, out ListRequest request)
    {
        var bad = ApiProblems.First(
            project is null ? null : ApiProblems.CheckName("project", project),
            workflow is null ? null : ApiProblems.CheckName("workflow", workflow),
            ApiRequests.ReadInt(pageSize, "pageSize", 1, 1000, 100, out var size),
            ReadStatus(status, out var wanted),
            ListFilter.Read(from, to, q, out var filter));
        request = new ListRequest(project, workflow, wanted, size, filter);
        return bad;
    }

    private static IResult? ReadStatus(string? status, out AttemptStatus? wanted)
    {
        wanted = null;
        if (status is null)
        {
            return null;
        }

        if (!Enum.TryParse<AttemptStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
        {
            return ApiProblems.Invalid("status", $"'{status}' is not a status: expected running, success, error or killed");
        }

        wanted = parsed;
        return null;
    }
}
