using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>
/// One durable host under test: the embedded runtime (<c>LocalEngine</c>) or the Functions app's
/// functions on the real Durable Task worker. Both are driven through the Engine's own
/// <see cref="AttemptLauncher"/> (start, wait, kill, and retry through <see cref="AttemptRetries"/>),
/// so a scenario's test body is the same for both.
/// </summary>
internal interface IConformanceRuntime : IAsyncDisposable
{
    string Name { get; }

    AttemptLauncher Launcher { get; }

    ILogStore Logs { get; }

    /// <summary>The operators the host runs (its registry), which its workflows are checked against.</summary>
    BatchOrchestrator.Language.Operators.IOperatorCatalog Operators { get; }

    /// <summary>
    /// Whether the host returns orchestration histories. The in-process Durable Task test host's
    /// in-memory backend does not implement history queries.
    /// </summary>
    bool ReturnsHistory { get; }

    /// <summary>
    /// Whether terminating an instance with <c>Recursive</c> terminates its sub-orchestrations. The
    /// test host's gRPC sidecar ignores the flag and terminates the named instance only (the Azure
    /// Storage backend of Durable Functions honours it).
    /// </summary>
    bool TerminatesRecursively { get; }

    /// <summary>
    /// The main job as the Functions app ships it (its <c>workflows/</c> folder): the app's shipped
    /// project on the Durable side, a copy of the same files for the embedded runtime.
    /// </summary>
    Task<ProjectFolder> ShippedProjectAsync(CancellationToken cancellationToken);
}

/// <summary>A project to start sessions of: its folder (where scripts run), its name, and a stored revision to run, if any.</summary>
internal sealed record ProjectFolder(string Directory, string Name, string? Revision = null);

/// <summary>What a scenario asks of its runtime.</summary>
internal sealed record RuntimeSettings
{
    /// <summary>Below the default (50), so small workflows split into sub-orchestrations on both runtimes.</summary>
    public int? MaxChildrenPerOrchestration { get; init; }

    /// <summary>Operators the host registers besides its own (a plug-in's), through its composition's extension point.</summary>
    public IReadOnlyList<BatchOrchestrator.Engine.Operators.OperatorDefinition> ExtraOperators { get; init; } = [];

    /// <summary>More app settings for the Functions app (the Durable side only), e.g. the stores in Blob storage.</summary>
    public IReadOnlyDictionary<string, string>? AppSettings { get; init; }

    /// <summary>The Functions app's clock (the Durable side only): the time its schedule timer ticks at. The system clock when null.</summary>
    public TimeProvider? Clock { get; init; }
}
