namespace BatchOrchestrator.Executors.Kubernetes.Logs;

/// <summary>
/// How far a pod's log has been copied: the pod, the timestamp of the last copied line and how
/// many lines carried exactly that timestamp. The next read asks for the lines since that second
/// (<c>sinceSeconds</c>, with a margin) and skips what was already copied, so each line reaches
/// the task log once, whichever process reads next. A new pod (after a disruption) starts a new cursor.
/// </summary>
public sealed record LogCursor(string? Pod = null, long LastNanos = 0, int SeenAtLast = 0)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasPosition => LastNanos != 0;
}
