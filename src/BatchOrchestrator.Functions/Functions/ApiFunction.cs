using BatchOrchestrator.Api;
using BatchOrchestrator.Functions.Adapters;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BatchOrchestrator.Functions.Functions;

/// <summary>
/// The same REST API and web UI as <c>bo server</c>, through one ASP.NET Core pipeline per kind
/// of route on the request's own <see cref="HttpContext"/> (the worker's ASP.NET Core
/// integration). The API and the OpenAPI document are behind function keys (<c>x-functions-key</c>
/// or <c>?code=</c>). The UI's page and assets are anonymous: a browser cannot put a key on the
/// requests for a page's scripts, and the page holds no data; it asks for the key and sends it
/// with every API call.
/// </summary>
public sealed class ApiFunction(ApiPipelines pipelines, DurableClientSource clients)
{
    [Function("Api")]
    public Task<IActionResult> Api(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", Route = "api/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(pipelines.Api, request, client);

    [Function("OpenApi")]
    public Task<IActionResult> OpenApi(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(pipelines.Api, request, client);

    /// <summary>Every other GET: the UI's page, its assets, and its client-side routes (never an API route).</summary>
    [Function("Ui")]
    public Task<IActionResult> Ui(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => RunAsync(pipelines.Ui, request, client);

    private async Task<IActionResult> RunAsync(RoutedPipeline pipeline, HttpRequest request, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        clients.Bind(client);
        await pipeline.InvokeAsync(request.HttpContext);
        return new EmptyResult();
    }
}

/// <summary>The API's pipeline (all routes) and the UI's (page and assets only), built once from the app's services.</summary>
public sealed class ApiPipelines(IServiceProvider services)
{
    public RoutedPipeline Api { get; } = RoutedPipeline.ForApi(services);

    public RoutedPipeline Ui { get; } = RoutedPipeline.ForUi(services);
}
