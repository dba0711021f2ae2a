using System.Net;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Functions.Adapters;
using BatchOrchestrator.Functions.Composition;
using BatchOrchestrator.Functions.Functions;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>
/// The Functions app's own orchestrator and activity functions (<see cref="AppFunctions"/>) on the
/// real Durable Task worker — the same <c>TaskOrchestrationContext</c>, replay and data conversion as
/// the isolated worker — over the in-process test host's in-memory backend, dispatched with the
/// app's host.json concurrency (<see cref="ConcurrencyGatedOrchestrationService"/>). The app's services are
/// its own composition (<see cref="AzureComposition.AddBatchOrchestratorAsync(IServiceCollection, IReadOnlyDictionary{string, string}, TimeProvider, CancellationToken)"/>)
/// built as <c>Program.cs</c> builds it (<see cref="FunctionsApp"/>) with a settings dictionary,
/// and payloads go through the app's <c>WorkerOptions.Serializer</c>.
/// <para>
/// Sessions are started, waited for and killed through an <see cref="AttemptLauncher"/> of the
/// harness over the app's stores and the app's Durable client adapter, with a client source of its
/// own: the app's <see cref="DurableClientSource"/> is never bound by the harness, as on an instance
/// where no HTTP or timer function has run. Only the app's functions bind it (<c>require&gt;</c>).
/// </para>
/// </summary>
internal sealed class DurableTaskRuntime : IConformanceRuntime
{
    private readonly FunctionsApp _app;
    private readonly DurableTaskTestHost _host;
    private readonly CancellationTokenSource _shutdown;
    private readonly IReadOnlyDictionary<string, string> _appSettings;
    private readonly TimeProvider _clock;
    private readonly List<FunctionsApp> _instances = [];

    private DurableTaskRuntime(FunctionsApp app, DurableTaskTestHost host, int port, CancellationTokenSource shutdown, AttemptLauncher launcher, ObjectSerializerDataConverter converter, IReadOnlyDictionary<string, string> appSettings, TimeProvider clock)
    {
        _app = app;
        _host = host;
        SidecarPort = port;
        _shutdown = shutdown;
        Launcher = launcher;
        Converter = converter;
        _appSettings = appSettings;
        _clock = clock;
    }

    public string Name => "durabletask";

    public AttemptLauncher Launcher { get; }

    public ILogStore Logs => App.GetRequiredService<ILogStore>();

    public BatchOrchestrator.Language.Operators.IOperatorCatalog Operators => App.GetRequiredService<BatchOrchestrator.Language.Operators.IOperatorCatalog>();

    /// <summary>The in-memory backend answers history queries with nothing.</summary>
    public bool ReturnsHistory => false;

    /// <summary>The sidecar's TerminateInstance ignores the request's Recursive flag.</summary>
    public bool TerminatesRecursively => false;

    /// <summary>The app's services.</summary>
    public IServiceProvider App => _app.Services;

    /// <summary>
    /// The loopback port of the test host's gRPC sidecar: the task hub's endpoint, where the
    /// Durable extension's client binding (<see cref="FunctionCalls"/>) connects, as it connects
    /// to the Functions host's endpoint on Azure.
    /// </summary>
    public int SidecarPort { get; }

    /// <summary>The test host's worker services (its Durable Task options).</summary>
    public IServiceProvider Worker => _host.Services;

    public DurableTaskClient Client => _host.Client;

    public ObjectSerializerDataConverter Converter { get; }

    public static async Task<DurableTaskRuntime> StartAsync(string root, RuntimeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var appSettings = new Dictionary<string, string>(settings.AppSettings ?? new Dictionary<string, string>())
        {
            [AzureComposition.StateDirectorySetting] = Path.Combine(root, "state"),
            [AzureComposition.ProjectNameSetting] = ShippedWorkflows.ProjectName,
            [AzureComposition.WebsiteHostNameSetting] = FunctionCalls.PublicHost,
        };
        if (settings.MaxChildrenPerOrchestration is { } max)
        {
            appSettings[AzureComposition.MaxChildrenPerOrchestrationSetting] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var clock = settings.Clock ?? TimeProvider.System;
        var app = await FunctionsApp.BuildAsync(appSettings, clock, cancellationToken, settings.ExtraOperators);
        var serializer = app.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer
            ?? throw new InvalidOperationException("The app sets no WorkerOptions.Serializer.");
        var converter = new ObjectSerializerDataConverter(serializer);

        var shutdown = new CancellationTokenSource();
        var functions = AppFunctions.Discover(typeof(WorkflowFunctions).Assembly);
        DurableTaskClient? hostClient = null;
        var backend = new InMemoryOrchestrationService();
        var dispatch = new ConcurrencyGatedOrchestrationService(backend, HostConcurrency.OfApp());
        var (host, port) = await StartTestHostAsync(
            backend,
            dispatch,
            registry => AppFunctions.Register(registry, functions, app.Services, () => hostClient ?? throw new InvalidOperationException("The test host has no client yet."), converter, shutdown.Token),
            converter,
            cancellationToken);
        hostClient = host.Client;

        // The harness's own source: an HTTP function of the app would bind the app's one.
        var harnessClients = new DurableClientSource();
        harnessClients.Bind(host.Client);
        var launcher = new AttemptLauncher(
            new DurableOrchestrationClient(harnessClients),
            app.Services.GetRequiredService<IRunStore>(),
            app.Services.GetRequiredService<IProjectRevisionStore>(),
            app.Services.GetRequiredService<BatchOrchestrator.Engine.Workflows.Activities.WorkflowActivities>(),
            TimeProvider.System);
        return new DurableTaskRuntime(app, host, port, shutdown, launcher, converter, appSettings, clock);
    }

    /// <summary>
    /// What <c>DurableTaskTestHost.StartAsync</c> builds — the in-memory backend behind the gRPC
    /// sidecar on Kestrel (HTTP/2), and a worker host running the Durable Task gRPC worker and
    /// client over one channel to it — except that the sidecar dispatches through
    /// <paramref name="dispatch"/>, with the app's concurrency (<see cref="ConcurrencyGatedOrchestrationService"/>):
    /// the test host offers no way to set it, and its backend polls every 500 ms once it holds as
    /// many work items as the machine has cores. Management calls go to <paramref name="backend"/> itself.
    /// The sidecar listens on a loopback port the OS chose when it bound it (port 0), returned with
    /// the host: a port found free beforehand and bound later could be taken in between — by
    /// another test's host or an outgoing connection (the test host's own choice, a random one in
    /// 30000-40000, could collide too).
    /// </summary>
    private static async Task<(DurableTaskTestHost Host, int Port)> StartTestHostAsync(
        InMemoryOrchestrationService backend,
        IOrchestrationService dispatch,
        Action<DurableTaskRegistry> registry,
        DataConverter converter,
        CancellationToken cancellationToken)
    {
        // A default host, as the test host's: its logging reads the environment (QuietHosts).
        var sidecar = Host.CreateDefaultBuilder()
            .ConfigureWebHostDefaults(web => web
                .ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, endpoint => endpoint.Protocols = HttpProtocols.Http2))
                .ConfigureServices(services =>
                {
                    services.AddGrpc();
                    services.AddSingleton<IOrchestrationService>(dispatch);
                    services.AddSingleton<IOrchestrationServiceClient>(backend);
                    services.AddSingleton<TaskHubGrpcServer>();
                })
                .Configure(pipeline => pipeline.UseRouting().UseEndpoints(endpoints => endpoints.MapGrpcService<TaskHubGrpcServer>())))
            .Build();
        await sidecar.StartAsync(cancellationToken);
        var address = new Uri(sidecar.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

        var channel = GrpcChannel.ForAddress(address);
        var worker = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureServices(services =>
            {
                services.Configure<DurableTaskWorkerOptions>(o => o.DataConverter = converter);
                services.Configure<DurableTaskClientOptions>(o => o.DataConverter = converter);
                services.AddDurableTaskWorker(builder => builder.UseGrpc(channel).AddTasks(registry));
                services.AddDurableTaskClient(builder => builder.UseGrpc(channel).RegisterDirectly());
            })
            .Build();
        await worker.StartAsync(cancellationToken);

        // Its disposal stops the worker, the channel and the sidecar, in that order.
        return (new DurableTaskTestHost(sidecar, worker, channel, worker.Services.GetRequiredService<DurableTaskClient>()), address.Port);
    }

    /// <summary>
    /// Another instance of the app on the same task hub, as a scaled-out Function app has: its own
    /// composition and state folder, the runtime's other settings (so what instances share on
    /// Azure, the stores in Blob, is shared when the settings put them there). It runs the HTTP and
    /// timer functions a test calls on it; the orchestrations and activities run on the test host's
    /// one worker, with the first instance's services (the sidecar takes one worker connection).
    /// </summary>
    /// <param name="stateDirectory">The instance's own state folder.</param>
    /// <param name="clock">The instance's clock (machines' clocks differ); the runtime's when null.</param>
    /// <param name="cancellationToken">Stops the composition.</param>
    public async Task<FunctionsApp> StartInstanceAsync(string stateDirectory, TimeProvider? clock, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(_appSettings) { [AzureComposition.StateDirectorySetting] = stateDirectory };
        var instance = await FunctionsApp.BuildAsync(settings, clock ?? _clock, cancellationToken);
        _instances.Add(instance);
        return instance;
    }

    /// <summary>The first instance: the one whose services the worker's functions run with.</summary>
    public FunctionsApp FirstInstance => _app;

    /// <summary>The app's shipped project, as <c>StartSession</c> runs it: the catalog's current revision, in the app's writable copy.</summary>
    public async Task<ProjectFolder> ShippedProjectAsync(CancellationToken cancellationToken)
    {
        var revision = await App.GetRequiredService<IProjectCatalog>().GetCurrentRevisionAsync(ShippedWorkflows.ProjectName, cancellationToken)
            ?? throw new InvalidOperationException("The app serves no shipped project.");
        return new ProjectFolder(revision.SourceDirectory, ShippedWorkflows.ProjectName, revision.Id);
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync();
        await _host.DisposeAsync();
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await _app.DisposeAsync();
        _shutdown.Dispose();
    }
}
