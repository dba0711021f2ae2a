using System.Text.Json;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Functions.Adapters;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BatchOrchestrator.Functions.Functions;

/// <summary>
/// <c>POST /start/{project}/{workflow}</c>: starts a session of a workflow the app serves (or finds
/// the attempt already started for that session) and answers 202 with Durable's management URLs
/// for the attempt's instance and our attempt id. The body is optional:
/// <c>{"sessionTime": "...", "params": {...}}</c>; the session time defaults to now.
/// </summary>
public sealed class StartSessionFunction(AttemptLauncher attempts, IProjectCatalog projects, DurableClientSource clients, TimeProvider clock)
{
    [Function("StartSession")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "start/{project}/{workflow}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context,
        string project,
        string workflow)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        clients.Bind(client);
        var cancellationToken = request.HttpContext.RequestAborted;
        var revision = await projects.GetCurrentRevisionAsync(project, cancellationToken);
        if (revision is null)
        {
            return new NotFoundObjectResult(new { message = $"no project '{project}' is served by this app" });
        }

        StartSessionBody body;
        try
        {
            body = request.ContentLength is > 0
                ? await JsonSerializer.DeserializeAsync<StartSessionBody>(request.Body, JsonSerializerOptions.Web, cancellationToken) ?? new StartSessionBody()
                : new StartSessionBody();
        }
        catch (JsonException e)
        {
            return new BadRequestObjectResult(new { message = $"the body is not a start request: {e.Message}" });
        }

        var started = await attempts.StartAsync(
            new AttemptRequest
            {
                ProjectDirectory = revision.SourceDirectory,
                ProjectName = project,
                Revision = revision.Id,
                WorkflowName = workflow,
                SessionTime = body.SessionTime ?? clock.GetUtcNow(),
                SessionParams = body.Params ?? JsonSerializer.SerializeToElement(new { }),
            },
            cancellationToken);

        var requestData = await context.GetHttpRequestDataAsync();
        var payload = client.CreateHttpManagementPayload(started.AttemptId, requestData);
        return new ObjectResult(new StartSessionResponse(started.AttemptId, started.IsNew, payload))
        {
            StatusCode = StatusCodes.Status202Accepted,
        };
    }
}

/// <summary>What a start request may say.</summary>
public sealed record StartSessionBody(DateTimeOffset? SessionTime = null, JsonElement? Params = null);

/// <summary>The attempt, whether this request started it, and Durable's management URLs for its instance.</summary>
public sealed record StartSessionResponse(string AttemptId, bool IsNew, HttpManagementPayload Management);
