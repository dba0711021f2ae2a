namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>Which finished instances to purge; a null field matches everything.</summary>
/// <param name="CreatedFrom">Created at or after.</param>
/// <param name="CreatedTo">Created before.</param>
/// <param name="Statuses">Only these (terminal) statuses; running instances are never purged.</param>
public sealed record PurgeInstancesFilter(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IReadOnlyList<OrchestrationRuntimeStatus>? Statuses = null);
