using BatchOrchestrator.Engine.Projects;
using Microsoft.AspNetCore.Http;

namespace BatchOrchestrator.Api;

/// <summary>The API's error answers: <c>application/problem+json</c> saying what was wrong, never a stack trace.</summary>
internal static class ApiProblems
{
    /// <summary>The first of several checks that found a problem (every check is evaluated), or null.</summary>
    public static IResult? First(params IResult?[] checks) => checks.FirstOrDefault(c => c is not null);

    public static IResult BadRequest(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}", title: "Invalid request");

    public static IResult NotFound(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", extensions: extensions);

    public static IResult TooLarge(long limit) =>
        Results.Problem(detail: $"the request body is larger than the {limit} bytes this route takes", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");

    public static IResult Unauthorized() =>
        Results.Problem(detail: "this server needs an API token: send 'Authorization: Bearer <token>' (bo: --token or BO_API_TOKEN)", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    /// <summary>A 400 for a project or workflow name that is not one safe path segment; null when the name is fine.</summary>
    public static IResult? CheckName(string field, string? name) =>
        ProjectNames.Problem(name) is { } problem ? Invalid(field, problem) : null;

    /// <summary>
    /// A 400 for a task name that could reach outside a folder or is not a task name (<c>+wf+task</c>):
    /// task names never hold slashes, backslashes, <c>..</c>, or control characters.
    /// </summary>
    public static IResult? CheckTaskName(string field, string? name)
    {
        var bad = string.IsNullOrEmpty(name)
            || name.Length > 1000
            || name[0] is not ('+' or '^')
            || name.Contains("..", StringComparison.Ordinal)
            || name.Any(c => c is '/' or '\\' or '%' || char.IsControl(c));
        return bad ? Invalid(field, $"'{name}' is not a task name (like +workflow+task; no '/', '\\', '%' or '..')") : null;
    }
}
