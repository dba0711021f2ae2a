using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>The embedded durable runtime on SQLite, composed as <c>bo run</c> and <c>bo server</c> compose it.</summary>
internal sealed class EmbeddedRuntime : IConformanceRuntime
{
    private readonly LocalEngine _engine;
    private readonly string _root;

    private EmbeddedRuntime(LocalEngine engine, string root)
    {
        _engine = engine;
        _root = root;
    }

    public string Name => "embedded";

    public AttemptLauncher Launcher => _engine.Attempts;

    public ILogStore Logs => _engine.Logs;

    public BatchOrchestrator.Language.Operators.IOperatorCatalog Operators => _engine.Operators;

    public bool ReturnsHistory => true;

    public bool TerminatesRecursively => true;

    public static async Task<EmbeddedRuntime> StartAsync(string root, RuntimeSettings settings, CancellationToken cancellationToken)
    {
        var engineOptions = new WorkflowEngineOptions();
        if (settings.MaxChildrenPerOrchestration is { } max)
        {
            engineOptions = engineOptions with { MaxChildrenPerOrchestration = max };
        }

        var engine = await LocalEngine.StartAsync(
            new LocalEngineOptions(Path.Combine(root, "state"))
            {
                ActivityWorkers = 4,
                Engine = engineOptions,
                ExtraOperators = settings.ExtraOperators,

                // A key of the test's own: a test never reads or creates the user's key.
                SecretKey = new SecretKeySource(null, Path.Combine(root, "secrets.key")),
            },
            cancellationToken);
        return new EmbeddedRuntime(engine, root);
    }

    public Task<ProjectFolder> ShippedProjectAsync(CancellationToken cancellationToken)
    {
        var target = Path.Combine(_root, "shipped", ShippedWorkflows.ProjectName);
        ShippedWorkflows.CopyTo(target);
        return Task.FromResult(new ProjectFolder(target, ShippedWorkflows.ProjectName));
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();
}
