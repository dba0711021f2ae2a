namespace BatchOrchestrator.Runtime.Storage;

/// <summary>What became runnable by a commit, for the dispatchers to pick up without polling.</summary>
internal sealed record CommitEffects(IReadOnlyList<ActivityWorkItem> Activities, IReadOnlyList<(string InstanceId, DateTime VisibleAt)> Messages)
{
    public static CommitEffects None { get; } = new([], []);
}
