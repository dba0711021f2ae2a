using System.Text.Json;
using Azure.Core.Serialization;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Hosting;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Telemetry;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Executors.Local;
using BatchOrchestrator.Functions.Adapters;
using BatchOrchestrator.Functions.Functions;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Blob.Operators;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.KeyVault;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Functions.Composition;

/// <summary>
/// The engine's parts as the Functions app wires them: the Durable client behind
/// <see cref="IOrchestrationClient"/>, the interpreter, its activities, the stores, the scheduler
/// and the API's services. Settings come from app settings (environment variables):
/// <c>BO_LOG_BLOB_*</c> and <c>BO_PARAM_BLOB_*</c> put task logs and params in Blob storage (as
/// <c>bo server</c> reads them), <c>BO_RUN_BLOB_*</c> run records and schedule state;
/// <c>BO_PROJECT_BLOB_*</c> pushed projects (every instance serves and runs them);
/// <c>BO_STATE_DIRECTORY</c> holds the rest (the instance's
/// temporary folder by default); <c>BO_PROJECT_NAME</c> names the shipped <c>workflows/</c>
/// project ("workflows" by default), which pushes cannot change; <c>BO_SECRETS</c>=keyvault with
/// <c>BO_KEYVAULT_URI</c> keeps project secrets in Key Vault (<c>BO_SECRET_KEY</c> keys the file store otherwise);
/// <c>BO_MAX_CHILDREN_PER_ORCHESTRATION</c> sets <see cref="WorkflowEngineOptions.MaxChildrenPerOrchestration"/>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class AzureComposition
{
    /// <summary>The folder for what is not in Blob storage; the instance's temporary folder by default.</summary>
    public const string StateDirectorySetting = "BO_STATE_DIRECTORY";

    /// <summary>The name of the shipped <c>workflows/</c> project.</summary>
    public const string ProjectNameSetting = "BO_PROJECT_NAME";

    /// <summary>Where project secrets live: <c>file</c> (the default) or <c>keyvault</c>.</summary>
    public const string SecretsSetting = "BO_SECRETS";

    /// <summary>The key of the file secret store.</summary>
    public const string SecretKeySetting = "BO_SECRET_KEY";

    /// <summary>
    /// Most children one orchestration runs before a group is split into sub-orchestrations; the
    /// engine's default (50) when unset. Lowered by the conformance suite, so both runtimes chunk alike.
    /// </summary>
    public const string MaxChildrenPerOrchestrationSetting = "BO_MAX_CHILDREN_PER_ORCHESTRATION";

    /// <summary>The app's own host name, set by App Service (<c>name.azurewebsites.net</c>): the API and UI answer it.</summary>
    public const string WebsiteHostNameSetting = "WEBSITE_HOSTNAME";

    /// <summary>More names the app is reached by (custom domains, a front door), comma-separated; any other Host is refused (421).</summary>
    public const string HostNamesSetting = "BO_HOST_NAMES";

    /// <summary>The app's settings as the Functions host gives them to the worker: its environment variables.</summary>
    public static IReadOnlyDictionary<string, string> ProcessSettings() => ExecutorConfiguration.ProcessEnvironment();

    /// <summary>Adds the engine's parts, configured by <paramref name="settings"/> (the app settings; see the summary above).</summary>
    /// <param name="extraOperators">Operators besides the built-in and Blob ones (a plug-in's), as the app's Program registers them; none by default.</param>
    public static Task AddBatchOrchestratorAsync(this IServiceCollection services, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken, IReadOnlyList<OperatorDefinition>? extraOperators = null) =>
        services.AddBatchOrchestratorAsync(settings, TimeProvider.System, cancellationToken, extraOperators);

    /// <summary>
    /// Adds the engine's parts with <paramref name="clock"/> as the app's "now": what the schedule
    /// timer ticks with, what a start without a session time defaults to, when records and pushes
    /// are stamped. The app runs on the system clock; tests choose the time a tick sees.
    /// </summary>
    public static async Task AddBatchOrchestratorAsync(this IServiceCollection services, IReadOnlyDictionary<string, string> settings, TimeProvider clock, CancellationToken cancellationToken, IReadOnlyList<OperatorDefinition>? extraOperators = null)
    {
        var shippedCatalog = await AddPartsAsync(services, settings, clock, cancellationToken, extraOperators);

        // Snapshotted now, before any orchestration on this instance loads the shipped revision by id.
        await shippedCatalog.CurrentAsync(cancellationToken);
    }

    /// <summary>
    /// Reads every setting and adds the parts they configure, without calling any remote service
    /// (clients are made, not used), so a malformed setting fails here, by its name. The
    /// deployment tests run this with the settings the compiled Bicep gives the app.
    /// </summary>
    /// <returns>The shipped project's catalog, whose revision is not yet snapshotted.</returns>
    internal static Task<ShippedProjectCatalog> AddPartsAsync(IServiceCollection services, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken, IReadOnlyList<OperatorDefinition>? extraOperators = null) =>
        AddPartsAsync(services, settings, TimeProvider.System, cancellationToken, extraOperators);

    /// <inheritdoc cref="AddPartsAsync(IServiceCollection, IReadOnlyDictionary{string, string}, CancellationToken, IReadOnlyList{OperatorDefinition})"/>
    internal static async Task<ShippedProjectCatalog> AddPartsAsync(IServiceCollection services, IReadOnlyDictionary<string, string> settings, TimeProvider clock, CancellationToken cancellationToken, IReadOnlyList<OperatorDefinition>? extraOperators = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        string? Setting(string name) => settings.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        var state = Setting(StateDirectorySetting) ?? Path.Combine(Path.GetTempPath(), "batchorchestrator");
        Directory.CreateDirectory(state);

        // Orchestration data is written and read with the same JSON rules as on the embedded runtime.
        services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        // Pushed projects in Blob, when configured, so a revision pushed through one instance runs on any other.
        var pushed = ProjectStoreConfiguration.FromVariables(Path.Combine(state, "project-cache"), clock, Setting);
        IProjectRevisionStore revisions = pushed is null ? new FileProjectRevisionStore(Path.Combine(state, "revisions")) : pushed.Revisions;
        var logs = LogStoreConfiguration.FromVariables(Path.Combine(state, "logs"), Setting);
        var (runs, schedules) = await RunStoreConfiguration.FromVariablesAsync(state, Setting, cancellationToken);
        var parameters = await ParamStoreConfiguration.FromVariablesAsync(Path.Combine(state, "params.db"), Setting, cancellationToken);
        var secrets = SecretStore(state, Setting);

        // Heavy steps go to AKS Jobs or ACI as the app's settings say (BO_KUBERNETES*, BO_ACI*; docs/executors.md), with the app's identity.
        var containers = await ExecutorConfiguration.ReadAsync(settings, cancellationToken: cancellationToken);
        var telemetry = new EngineTelemetry();
        AzureTelemetry.Add(services, Setting);
        var engine = EngineBuilder.Build(new EngineOptions
        {
            Logs = logs,
            Runs = runs,
            Params = parameters,
            Revisions = revisions,
            Secrets = secrets,
            Executors = [masked => new LocalCommandExecutor(masked, new LocalExecutorOptions { TaskRoot = LocalExecutorOptions.TaskRootFor(state) }), .. containers],
            Operators = EngineBuilder.Operators([.. BlobOperators.FromVariables(Setting).Definitions, .. extraOperators ?? []]),
            Workflows = WorkflowOptions(Setting),
            Clock = clock,
            Telemetry = telemetry,
        });
        var clients = new DurableClientSource();
        var client = new DurableOrchestrationClient(clients);
        var launcher = engine.Launch(client);

        var project = Setting(ProjectNameSetting) ?? "workflows";
        var shipped = CopyShippedProject(Path.Combine(AppContext.BaseDirectory, "workflows"), Path.Combine(state, "projects", project));
        var shippedCatalog = new ShippedProjectCatalog(project, shipped, revisions, clock);
        IProjectRepository catalog = pushed is null ? shippedCatalog : new CombinedProjectRepository(shippedCatalog, pushed.Repository);

        services
            .AddSingleton(clock)
            .AddSingleton(telemetry)
            .AddSingleton(clients)
            .AddSingleton<IOrchestrationClient>(client)
            .AddSingleton<IRunStore>(runs)
            .AddSingleton(logs)
            .AddSingleton(parameters)
            .AddSingleton<ISecretStore>(secrets)
            .AddSingleton<IProjectRevisionStore>(revisions)
            .AddSingleton<Language.Operators.IOperatorCatalog>(engine.Operators)
            .AddSingleton<IProjectRepository>(catalog)
            .AddSingleton<IProjectCatalog>(catalog)
            .AddSingleton<IScheduleStore>(schedules)
            .AddSingleton(engine)
            .AddSingleton(engine.Orchestrator)
            .AddSingleton(engine.Activities)
            .AddSingleton(launcher)
            .AddSingleton<ApiPipelines>()
            .AddRouting()
            .AddBatchOrchestratorApi(new ApiOptions { HostNames = HostNames(Setting) });
        foreach (var executor in engine.Executors)
        {
            services.AddSingleton(executor);
        }

        var scheduler = SchedulerParts.Create(catalog, engine.Operators, schedules, launcher);
        foreach (var type in SchedulerParts.Types)
        {
            services.AddSingleton(type, scheduler.Get(type));
        }

        return shippedCatalog;
    }

    private static string[] HostNames(Func<string, string?> setting) =>
        [.. $"{setting(WebsiteHostNameSetting)},{setting(HostNamesSetting)}".Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static WorkflowEngineOptions WorkflowOptions(Func<string, string?> setting)
    {
        var options = new WorkflowEngineOptions();
        if (setting(MaxChildrenPerOrchestrationSetting) is not { } text)
        {
            return options;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var max) && max >= 2
            ? options with { MaxChildrenPerOrchestration = max }
            : throw new InvalidOperationException($"{MaxChildrenPerOrchestrationSetting} is '{text}': it must be a whole number of at least 2.");
    }

    /// <summary>
    /// Project secrets: in Key Vault with <c>BO_SECRETS=keyvault</c> (what the Bicep sets, with
    /// <c>BO_KEYVAULT_URI</c>), so every instance reads what any instance's API stored; otherwise
    /// the encrypted file in the state folder, which only one instance sees.
    /// </summary>
    private static ISecretStore SecretStore(string state, Func<string, string?> setting)
    {
        switch (setting(SecretsSetting) ?? "file")
        {
            case "file":
                return EncryptedFileSecretStore.InStateFolder(state, new SecretKeySource(setting(SecretKeySetting), Path.Combine(state, "secrets.key")));
            case "keyvault":
                var vault = setting(ExecutorConfiguration.KeyVaultUriVariable);
                if (vault is null || !ExecutorConfiguration.TryVaultUri(vault, out var uri))
                {
                    throw new InvalidOperationException($"BO_SECRETS=keyvault needs {ExecutorConfiguration.KeyVaultUriVariable}, the vault's https URI; it is '{vault}'.");
                }

                var options = new ExecutorConfigurationOptions();
                return new KeyVaultSecretStore(uri, options.Credential(), options.KeyVaultClientOptions());
            case var other:
                throw new InvalidOperationException($"BO_SECRETS is '{other}': the Functions app supports file and keyvault.");
        }
    }

    /// <summary>
    /// Scripts run in their project's folder and may write there (outputs, scratch files), but
    /// Flex Consumption runs the package read-only: the shipped project is copied to the state folder.
    /// </summary>
    private static string CopyShippedProject(string shipped, string writable)
    {
        foreach (var file in Directory.EnumerateFiles(shipped, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(writable, Path.GetRelativePath(shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return writable;
    }
}
