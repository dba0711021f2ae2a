namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// The instance id a sub-orchestration gets when its caller chooses none, on every host: the
/// parent's id and a replay-safe GUID, so listing by the parent's id as a prefix finds its
/// children (and an attempt's chunks sort next to the attempt in Durable Functions Monitor).
/// </summary>
public static class SubOrchestrationIds
{
    /// <summary>The child id under <paramref name="parentInstanceId"/>; <paramref name="guid"/> must come from the context's <c>NewGuid</c>.</summary>
    public static string Derive(string parentInstanceId, Guid guid)
    {
        ArgumentException.ThrowIfNullOrEmpty(parentInstanceId);
        return $"{parentInstanceId}:{guid:N}";
    }
}
