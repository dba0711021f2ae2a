namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>A filter over instances; a null field matches everything.</summary>
public sealed record OrchestrationQuery
{
    /// <summary>Created at or after.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Created before.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Only instances in one of these statuses.</summary>
    public IReadOnlyList<OrchestrationRuntimeStatus>? Statuses { get; init; }

    /// <summary>Only instances whose id starts with this (case-sensitive).</summary>
    public string? InstanceIdPrefix { get; init; }

    /// <summary>At most this many instances per page.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Fill the serialized inputs, outputs and custom status.</summary>
    public bool FetchInputsAndOutputs { get; init; }

    /// <summary>Where to continue, from the previous page.</summary>
    public string? ContinuationToken { get; init; }
}
