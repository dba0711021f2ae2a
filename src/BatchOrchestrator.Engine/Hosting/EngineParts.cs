using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Hosting;

/// <summary>
/// The engine as <see cref="EngineBuilder"/> made it. It owns its executors and its HTTP client
/// (disposed with it); the stores stay the host's.
/// </summary>
public sealed class EngineParts : IAsyncDisposable
{
    private readonly EngineOptions _options;
    private readonly SessionStarter _sessions;
    private readonly HttpClient _http;

    internal EngineParts(EngineOptions options, MaskingLogStore logs, IReadOnlyList<ICommandExecutor> executors, OperatorRegistry operators, WorkflowActivities activities, WorkflowOrchestrator orchestrator, SessionStarter sessions, HttpClient http)
    {
        _options = options;
        _sessions = sessions;
        _http = http;
        Logs = logs;
        Executors = executors;
        Operators = operators;
        Activities = activities;
        Orchestrator = orchestrator;
        Functions = WorkflowFunctionTable.Of(orchestrator, activities);
    }

    /// <summary>The masking log store executors and operators write through.</summary>
    public MaskingLogStore Logs { get; }

    public IReadOnlyList<ICommandExecutor> Executors { get; }

    public OperatorRegistry Operators { get; }

    public WorkflowActivities Activities { get; }

    public WorkflowOrchestrator Orchestrator { get; }

    /// <summary>The orchestrators and activities by name, for a runtime to register (the Functions app declares the same set).</summary>
    public WorkflowFunctionTable Functions { get; }

    /// <summary>
    /// The launcher over the host's client, once that client can reach the runtime the
    /// activities run in; binds <c>require&gt;</c>'s session starter to it. Call it once.
    /// </summary>
    public AttemptLauncher Launch(IOrchestrationClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var launcher = new AttemptLauncher(client, _options.Runs, _options.Revisions, Activities, _options.Clock, _options.Telemetry);
        _sessions.Bind(launcher);
        return launcher;
    }

    /// <summary>The projects the host serves, for <c>require&gt;</c> of another project (a host of one project has none).</summary>
    public void ServeProjects(Projects.IProjectCatalog projects) => _sessions.ServeProjects(projects);

    public async ValueTask DisposeAsync()
    {
        foreach (var executor in Executors)
        {
            if (executor is IAsyncDisposable asynchronous)
            {
                await asynchronous.DisposeAsync();
            }
            else
            {
                (executor as IDisposable)?.Dispose();
            }
        }

        _http.Dispose();
    }
}
