using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Cli.Local;

/// <summary>Where the local engine keeps its state, and how hard it works.</summary>
/// <param name="StateDirectory">The project-local state folder (<c>.bo</c>): runtime database, records, logs, revisions.</param>
public sealed record LocalEngineOptions(string StateDirectory)
{
    /// <summary>Activities at once (scripting tasks run as processes, so this bounds parallel processes too).</summary>
    public int ActivityWorkers { get; init; } = Math.Max(4, Environment.ProcessorCount * 2);

    public WorkflowEngineOptions Engine { get; init; } = new();
}
