namespace BatchOrchestrator.Runtime.Storage;

/// <summary>What became runnable by a commit, for the dispatchers to pick up without polling.</summary>
internal sealed record CommitEffects(IReadOnlyList<ActivityWorkItem> Activities, IReadOnlyList<(string InstanceId, DateTime VisibleAt)> Messages)
{
    /// <summary>Instances this commit sent a termination (the children of a terminated instance).</summary>
    public IReadOnlyList<string> Terminated { get; init; } = [];

    public static CommitEffects None { get; } = new([], []);
}
