using System.Reflection;
using BatchOrchestrator.Functions.Composition;
using BatchOrchestrator.Functions.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>
/// One instance of the Functions app, its services built as <c>Program.cs</c> builds them: the
/// worker's application builder, the ASP.NET Core integration (<c>ConfigureFunctionsWebApplication</c>,
/// which adds what executes an HTTP function's <c>IActionResult</c>), the worker extensions'
/// startup code the Functions SDK generates into the app (the Durable extension's client
/// binding), then the app's own composition. The host is built, never started: starting it
/// starts the worker's gRPC channel to a Functions host, and no Functions host runs here.
/// </summary>
internal sealed class FunctionsApp : IAsyncDisposable
{
    private readonly IHost _host;

    private FunctionsApp(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<FunctionsApp> BuildAsync(IReadOnlyDictionary<string, string> settings, TimeProvider clock, CancellationToken cancellationToken, IReadOnlyList<BatchOrchestrator.Engine.Operators.OperatorDefinition>? extraOperators = null)
    {
        var builder = FunctionsApplication.CreateBuilder([]);

        // The worker runs the startup code of its entry assembly; in a test the app is not the entry assembly, so it is run here.
        RunExtensionStartupCode(builder);
        builder.ConfigureFunctionsWebApplication();
        await builder.Services.AddBatchOrchestratorAsync(settings, clock, cancellationToken, extraOperators);
        return new FunctionsApp(builder.Build());
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }

    private static void RunExtensionStartupCode(IFunctionsWorkerApplicationBuilder builder)
    {
        var app = typeof(WorkflowFunctions).Assembly;
        var info = app.GetCustomAttribute<WorkerExtensionStartupCodeExecutorInfoAttribute>()
            ?? throw new InvalidOperationException($"{app.GetName().Name} carries no generated extension startup code: has the Functions SDK stopped generating it?");
        var startup = (WorkerExtensionStartup)(Activator.CreateInstance(info.StartupCodeExecutorType)
            ?? throw new InvalidOperationException($"{info.StartupCodeExecutorType} could not be created."));
        startup.Configure(builder);
    }
}
