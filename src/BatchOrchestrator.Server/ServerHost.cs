using BatchOrchestrator.Api;
using BatchOrchestrator.Api.Guards;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Server.Projects;
using BatchOrchestrator.Server.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchOrchestrator.Server;

/// <summary>
/// <c>bo server</c>: the local engine (embedded runtime, SQLite records, file logs, local
/// processes) behind the HTTP API and the web UI, on one machine. Attempts it runs survive a
/// crash of the process: the next server on the same state folder carries them on.
/// <para>
/// Background services (the scheduler) plug in through <see cref="ConfigureScheduling"/>, a
/// partial method implemented next to them in <c>Scheduling/</c>; they get the engine's services
/// (AttemptLauncher, IRunStore, IProjectCatalog, TimeProvider, ...) from the container.
/// </para>
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class ServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LocalEngine _engine;

    private ServerHost(WebApplication app, LocalEngine engine, Uri address)
    {
        _app = app;
        _engine = engine;
        Address = address;
    }

    /// <summary>Where the server listens (the real port when 0 was asked for).</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the engine and the web server; throws <see cref="ServerConfigurationException"/> for settings that cannot work.</summary>
    public static async Task<ServerHost> StartAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);

        // An IPv4 address written as IPv6 (::ffff:127.0.0.1) cannot be bound as it is; it is the IPv4 address.
        if (options.Bind.IsIPv4MappedToIPv6)
        {
            options = options with { Bind = options.Bind.MapToIPv4() };
        }

        if (!System.Net.IPAddress.IsLoopback(options.Bind) && string.IsNullOrEmpty(options.Token))
        {
            throw new ServerConfigurationException($"listening on {options.Bind} (beyond this machine) needs an API token: pass --token or set BO_API_TOKEN");
        }

        if (options.ProjectDirectory is { } project && !Directory.Exists(project))
        {
            throw new ServerConfigurationException($"{project}: no such project folder");
        }

        if (options.ProjectsRoot is { } root && !Directory.Exists(root))
        {
            throw new ServerConfigurationException($"{root}: no such projects folder");
        }

        var engineOptions = new LocalEngineOptions(options.StateDirectory) { ExtraExecutors = options.ExtraExecutors, SecretStore = options.SecretStore, Revisions = options.PushedProjects?.Revisions };
        if (options.ActivityWorkers is { } workers)
        {
            engineOptions = engineOptions with { ActivityWorkers = workers };
        }

        var engine = await LocalEngine.StartAsync(engineOptions, cancellationToken);
        try
        {
            // Kills recorded while no engine ran are carried out before anything else resumes them.
            await engine.Attempts.CompleteKillsAsync(cancellationToken);
            var app = Build(options, engine);
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new ServerHost(app, engine, new Uri(address));
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        await _engine.DisposeAsync();
    }

    private static WebApplication Build(ServerOptions options, LocalEngine engine)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // A start-up failure (the port in use) is thrown to the caller, who says it in one line: the host's own log of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Bind, options.Port);

            // The API checks body sizes itself, so an oversized body gets a JSON answer; this is the backstop.
            kestrel.Limits.MaxRequestBodySize = null;
        });

        var services = builder.Services;
        services.AddSingleton(engine);
        services.AddSingleton(engine.Attempts);
        services.AddSingleton<IOrchestrationClient>(engine.Client);
        services.AddSingleton(engine.Runs);
        services.AddSingleton(engine.Logs);
        services.AddSingleton(engine.Secrets);
        services.AddSingleton(engine.Revisions);
        services.AddSingleton<Language.Operators.IOperatorCatalog>(engine.Operators);
        services.AddSingleton(options.Clock);
        // With Blob projects, the folders stay this server's own and pushes go to Blob, where every server sharing the container serves them.
        var folders = new LocalProjectCatalog(options.ProjectDirectory, options.ProjectsRoot, options.StateDirectory, engine.Revisions, options.Clock);
        IProjectRepository projects = options.PushedProjects is { } pushed ? new CombinedProjectRepository(folders, pushed.Repository) : folders;
        services.AddSingleton(projects);
        engine.ServeProjects(projects);
        services.AddSingleton<IProjectCatalog>(projects);
        var api = new ApiOptions { Token = options.Token, HostNames = options.HostNames };
        services.AddBatchOrchestratorApi(api);
        ConfigureScheduling(services, options);
        var otlp = TelemetryExport.OtlpConfigured(options.Environment);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => TelemetryExport.Resource(resource))
            .WithMetrics(metrics => TelemetryExport.ServerMetrics(metrics, otlp))
            .WithTracing(traces => TelemetryExport.ServerTraces(traces, otlp));

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseBatchOrchestratorRequestGuard();
        app.MapBatchOrchestratorApi();

        // Prometheus' scrape, behind the API's own access rule.
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.UseApiToken(api), optionsName: null);
        return app;
    }

    /// <summary>
    /// Where the scheduler adds its hosted service (<c>services.AddHostedService&lt;...&gt;()</c>):
    /// implemented in <c>Scheduling/</c>, a no-op until then.
    /// </summary>
    static partial void ConfigureScheduling(IServiceCollection services, ServerOptions options);
}

/// <summary>Server settings that cannot work (a token missing for a public address, a missing folder): reported as the user's mistake.</summary>
public sealed class ServerConfigurationException(string message) : Exception(message);
