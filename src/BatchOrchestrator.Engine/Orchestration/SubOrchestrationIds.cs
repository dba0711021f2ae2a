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

    /// <summary>
    /// The parent of an instance whose id was made by <see cref="Derive"/>, or null (a top-level
    /// instance, or a child whose caller chose its id). For hosts whose instance metadata does
    /// not record the parent (Durable Functions' client).
    /// </summary>
    public static string? ParentOf(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        var colon = instanceId.LastIndexOf(':');
        if (colon <= 0 || instanceId.Length - colon - 1 != 32)
        {
            return null;
        }

        return Guid.TryParseExact(instanceId.AsSpan(colon + 1), "N", out _) ? instanceId[..colon] : null;
    }
}
