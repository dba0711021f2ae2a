using BatchOrchestrator.Engine.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BatchOrchestrator.Api;

/// <summary>The secret routes of the API (docs/api.md): names listed, values set and deleted, never read back.</summary>
internal static class SecretEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var secrets = api.MapGroup("/projects/{project}/secrets").WithTags("secrets");
        secrets.MapGet("", async (string project, ISecretStore store, CancellationToken cancellationToken) =>
            ApiProblems.CheckName("project", project) ?? Results.Ok(await store.ListAsync(project, cancellationToken)))
            .Produces<List<string>>();

        secrets.MapPut("/{key}", async (string project, string key, HttpContext http, ISecretStore store, CancellationToken cancellationToken) =>
        {
            if (ApiProblems.First(ApiProblems.CheckName("project", project), CheckKey(key)) is { } bad)
            {
                return bad;
            }

            var body = await ApiRequests.ReadJsonAsync<SecretBody>(http, cancellationToken);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            await store.SetAsync(project, key, body.Value!.Value, cancellationToken);
            return Results.NoContent();
        }).Accepts<SecretBody>("application/json").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status400BadRequest);

        secrets.MapDelete("/{key}", async (string project, string key, ISecretStore store, CancellationToken cancellationToken) =>
        {
            if (ApiProblems.First(ApiProblems.CheckName("project", project), CheckKey(key)) is { } bad)
            {
                return bad;
            }

            return await store.DeleteAsync(project, key, cancellationToken)
                ? Results.NoContent()
                : ApiProblems.NotFound($"project {project} has no secret '{key}'");
        }).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult? CheckKey(string key)
    {
        try
        {
            SecretNames.Validate(key);
            return null;
        }
        catch (ArgumentException e)
        {
            // The message without the framework's " (Parameter 'key')" suffix.
            var cut = e.Message.LastIndexOf(" (Parameter", StringComparison.Ordinal);
            return ApiProblems.Invalid("key", cut > 0 ? e.Message[..cut] : e.Message);
        }
    }
}
