namespace BatchOrchestrator.Executors.Kubernetes.Jobs;

/// <summary>
/// Recognises a pod that will not start by itself: an image that does not pull, a missing
/// Secret or ConfigMap, no node that fits. Kubernetes keeps such a pod Pending forever (and a
/// Job's <c>activeDeadlineSeconds</c> may be hours), so the executor fails the task after a
/// configurable grace time instead, with the reason.
/// </summary>
public static class StuckPod
{
    private static readonly HashSet<string> StuckReasons = new(StringComparer.Ordinal)
    {
        "ErrImagePull",
        "ImagePullBackOff",
        "InvalidImageName",
        "ErrImageNeverPull",
        "CreateContainerConfigError",
        "CreateContainerError",
    };

    /// <summary>Why the pod is stuck (<c>ImagePullBackOff: ...</c>, <c>Unschedulable: ...</c>), or null when it is not.</summary>
    public static string? Reason(PodView pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.WaitingReason is { } reason && StuckReasons.Contains(reason))
        {
            return pod.WaitingMessage is { Length: > 0 } message ? $"{reason}: {message}" : reason;
        }

        return pod.UnschedulableMessage is { } unschedulable ? $"Unschedulable: {unschedulable}" : null;
    }

    /// <summary>The kind of a stuck pod as a short fixed word for metrics (<c>image_pull</c>, <c>container_config</c>, <c>unschedulable</c>), or null when it is not stuck.</summary>
    public static string? Kind(PodView pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.WaitingReason is { } reason && StuckReasons.Contains(reason))
        {
            return reason.Contains("Image", StringComparison.Ordinal) ? "image_pull" : "container_config";
        }

        return pod.UnschedulableMessage is null ? null : "unschedulable";
    }
}
