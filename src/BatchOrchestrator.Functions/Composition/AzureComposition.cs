using System.Text.Json;
using Azure.Core.Serialization;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Executors.Local;
using BatchOrchestrator.Functions.Adapters;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.Sqlite;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Functions.Composition;

/// <summary>
/// The engine's parts as the Functions app wires them: the Durable client behind
/// <see cref="IOrchestrationClient"/>, the interpreter, its activities and the stores. Settings
/// come from app settings (environment variables): <c>BO_STATE_DIRECTORY</c> (records, params,
/// secrets, revisions; the instance's temporary folder by default), <c>BO_PROJECT_NAME</c> (the
/// name of the shipped <c>workflows/</c> project, "workflows" by default), <c>BO_SECRET_KEY</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class AzureComposition
{
    public static async Task AddBatchOrchestratorAsync(this IServiceCollection services, CancellationToken cancellationToken)
    {
        var state = Environment.GetEnvironmentVariable("BO_STATE_DIRECTORY") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "batchorchestrator");
        Directory.CreateDirectory(state);

        // Orchestration data is written and read with the same JSON rules as on the embedded runtime.
        services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        var revisions = new FileProjectRevisionStore(Path.Combine(state, "revisions"));
        var logs = new FileLogStore(Path.Combine(state, "logs"));
        var runs = await SqliteRunStore.OpenAsync(Path.Combine(state, "runs.db"), cancellationToken);
        var parameters = await SqliteParamStore.OpenAsync(Path.Combine(state, "params.db"), cancellationToken);
        var secrets = EncryptedFileSecretStore.InStateFolder(state, new SecretKeySource(Environment.GetEnvironmentVariable("BO_SECRET_KEY"), Path.Combine(state, "secrets.key")));
        var maskedLogs = new MaskingLogStore(logs);
        var executor = new LocalCommandExecutor(maskedLogs, new LocalExecutorOptions { TaskRoot = LocalExecutorOptions.TaskRootFor(state) });
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var parts = WorkflowParts.Create(revisions, maskedLogs, runs, parameters, secrets, [executor], http);
        var clients = new DurableClientSource();
        var client = new DurableOrchestrationClient(clients);
        var launcher = new AttemptLauncher(client, runs, revisions, [executor], TimeProvider.System);
        parts.Sessions.Bind(launcher);

        var project = Environment.GetEnvironmentVariable("BO_PROJECT_NAME") is { Length: > 0 } name ? name : "workflows";
        var catalog = new AppWorkflowsCatalog(project, CopyShippedProject(Path.Combine(AppContext.BaseDirectory, "workflows"), Path.Combine(state, "projects", project)), revisions);

        services
            .AddSingleton(TimeProvider.System)
            .AddSingleton(clients)
            .AddSingleton<IOrchestrationClient>(client)
            .AddSingleton<IRunStore>(runs)
            .AddSingleton<ILogStore>(logs)
            .AddSingleton<IParamStore>(parameters)
            .AddSingleton<ISecretStore>(secrets)
            .AddSingleton<IProjectRevisionStore>(revisions)
            .AddSingleton<IProjectCatalog>(catalog)
            .AddSingleton(parts.Orchestrator)
            .AddSingleton(parts.Activities)
            .AddSingleton(launcher)
            .AddSingleton<ICommandExecutor>(executor)
            .AddSingleton(http)
            .AddSingleton(RoutedPipeline.ForApi)
            .AddSingleton<BatchOrchestrator.Engine.Scheduling.Scheduler>()
            .AddRouting();
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
