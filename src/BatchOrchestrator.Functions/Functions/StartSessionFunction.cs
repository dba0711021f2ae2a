using System.Text.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Functions.Adapters;
using BatchOrchestrator.Language.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BatchOrchestrator.Functions.Functions;

/// <summary>
/// <c>POST /start/{project}/{workflow}</c>: starts a session of a workflow the app serves (or finds
/// the attempt already started for that session) and answers 202 with Durable's management URLs
/// for the attempt's instance and our attempt id. The body is optional:
/// <c>{"sessionTime": "...", "params": {...}}</c>; the session time defaults to now. An unknown
/// project or workflow is 404, a body that is not a start request 400, one over 1 MiB 413, each
/// with a JSON <c>message</c>, and nothing is started.
/// </summary>
public sealed class StartSessionFunction(AttemptLauncher attempts, IProjectCatalog projects, DurableClientSource clients, TimeProvider clock)
{
    /// <summary>The largest body read, as the API's limit on JSON bodies (docs/api.md).</summary>
    private const int MaxBodyBytes = 1024 * 1024;

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

        // Checked before anything starts: an attempt of a workflow the project lacks would only fail later.
        var workflows = ProjectView.WorkflowNames(revision);
        if (!workflows.Contains(workflow, StringComparer.Ordinal))
        {
            return new NotFoundObjectResult(new { message = $"project '{project}' has no workflow '{workflow}'{Suggestions.DidYouMean(workflow, workflows)}" });
        }

        StartSessionBody body;
        try
        {
            body = await ReadBodyAsync(request, cancellationToken);
        }
        catch (JsonException e)
        {
            return new BadRequestObjectResult(new { message = $"the body is not a start request: {e.Message}" });
        }
        catch (InvalidDataException e)
        {
            return new ObjectResult(new { message = e.Message }) { StatusCode = StatusCodes.Status413PayloadTooLarge };
        }

        if (body.Params is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null })
        {
            return new BadRequestObjectResult(new { message = $"the body is not a start request: params must be an object, not {body.Params.Value.ValueKind.ToString().ToLowerInvariant()}" });
        }

        var started = await attempts.StartAsync(
            new AttemptRequest
            {
                ProjectDirectory = revision.SourceDirectory,
                ProjectName = project,
                Revision = revision.Id,
                WorkflowName = workflow,
                SessionTime = body.SessionTime ?? clock.GetUtcNow(),
                SessionParams = body.Params is { ValueKind: JsonValueKind.Object } given ? given : JsonSerializer.SerializeToElement(new { }),
            },
            cancellationToken);

        var requestData = await context.GetHttpRequestDataAsync();
        var payload = client.CreateHttpManagementPayload(started.AttemptId, requestData);
        return new ObjectResult(new StartSessionResponse(started.AttemptId, started.IsNew, payload))
        {
            StatusCode = StatusCodes.Status202Accepted,
        };
    }

    /// <summary>
    /// The body, or the defaults when there is none. A body sent chunked has no Content-Length, so
    /// the length only tells when there is none (0); otherwise the body is read, up to the API's
    /// limit for JSON bodies.
    /// </summary>
    /// <exception cref="JsonException">The body is not a start request.</exception>
    /// <exception cref="InvalidDataException">The body is over the limit.</exception>
    private static async Task<StartSessionBody> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0)
        {
            return new StartSessionBody();
        }

        var tooLarge = $"the body is over {MaxBodyBytes} bytes";
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new InvalidDataException(tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw new InvalidDataException(tooLarge);
            }
        }

        if (buffer.Length == 0)
        {
            return new StartSessionBody();
        }

        buffer.Position = 0;
        return await JsonSerializer.DeserializeAsync<StartSessionBody>(buffer, JsonSerializerOptions.Web, cancellationToken) ?? new StartSessionBody();
    }
}

/// <summary>What a start request may say.</summary>
public sealed record StartSessionBody(DateTimeOffset? SessionTime = null, JsonElement? Params = null);

/// <summary>The attempt, whether this request started it, and Durable's management URLs for its instance.</summary>
public sealed record StartSessionResponse(string AttemptId, bool IsNew, HttpManagementPayload Management);
