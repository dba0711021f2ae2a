using BatchOrchestrator.Functions.Composition;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The Azure host: Durable Functions (isolated worker) with the ASP.NET Core integration, so the
// HTTP API and web UI are the same endpoints the local server maps.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
if (!OperatingSystem.IsLinux())
{
    throw new PlatformNotSupportedException("The Functions app runs on Linux (Flex Consumption): its script tasks run as Linux processes.");
}

await builder.Services.AddBatchOrchestratorAsync(AzureComposition.ProcessSettings(), CancellationToken.None);
await builder.Build().RunAsync();
