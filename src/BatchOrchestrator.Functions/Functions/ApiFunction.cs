using BatchOrchestrator.Api;
using BatchOrchestrator.Functions.Adapters;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BatchOrchestrator.Functions.Functions;

/// <summary>
/// The same REST API and web UI as <c>bo server</c>: every request that no other function claims
/// goes through one ASP.NET Core pipeline with <see cref="ApiEndpoints.MapBatchOrchestratorApi"/>
/// mapped, on the request's own <see cref="HttpContext"/> (the worker's ASP.NET Core integration).
/// Function-level keys guard it: callers send <c>x-functions-key</c> or <c>?code=</c>.
/// </summary>
public sealed class ApiFunction(RoutedPipeline pipeline, DurableClientSource clients)
{
    [Function("Api")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", Route = "{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        clients.Bind(client);
        await pipeline.InvokeAsync(request.HttpContext);
        return new EmptyResult();
    }
}
