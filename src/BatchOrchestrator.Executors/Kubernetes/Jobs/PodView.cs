using k8s.Models;

namespace BatchOrchestrator.Executors.Kubernetes.Jobs;

/// <summary>
/// What the executor needs from a pod of its Job: phase, the main container's state (waiting
/// reason, exit code), and whether the scheduler refused it.
/// </summary>
public sealed record PodView(string Name, string Phase, DateTimeOffset Created)
{
    public string? WaitingReason { get; init; }

    public string? WaitingMessage { get; init; }

    public int? ExitCode { get; init; }

    public string? TerminatedReason { get; init; }

    /// <summary>The PodScheduled condition is False with reason Unschedulable: its message says why (resources, taints, selectors).</summary>
    public string? UnschedulableMessage { get; init; }

    /// <summary>The container has started (running or terminated): its log can be read.</summary>
    public bool HasStarted { get; init; }

    /// <summary>The newest pod of a list (a disruption makes the Job start another one).</summary>
    public static PodView? Newest(IEnumerable<V1Pod> pods) =>
        pods.Select(Of).OrderByDescending(p => p.Created).ThenByDescending(p => p.Name, StringComparer.Ordinal).FirstOrDefault();

    public static PodView Of(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var created = pod.Metadata?.CreationTimestamp is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : DateTimeOffset.MinValue;
        var view = new PodView(pod.Metadata?.Name ?? "", pod.Status?.Phase ?? "Unknown", created);
        if (pod.Status is not { } status)
        {
            return view;
        }

        if (status.Conditions?.FirstOrDefault(c => c is { Type: "PodScheduled", Status: "False", Reason: "Unschedulable" }) is { } unschedulable)
        {
            view = view with { UnschedulableMessage = unschedulable.Message ?? "no node fits the pod" };
        }

        var state = status.ContainerStatuses?.FirstOrDefault(c => c.Name == JobManifest.ContainerName)?.State;
        if (state?.Waiting is { } waiting)
        {
            view = view with { WaitingReason = waiting.Reason, WaitingMessage = waiting.Message };
        }
        else if (state?.Running is not null)
        {
            view = view with { HasStarted = true };
        }
        else if (state?.Terminated is { } terminated)
        {
            view = view with { HasStarted = true, ExitCode = terminated.ExitCode, TerminatedReason = terminated.Reason };
        }

        return view;
    }
}
