using System.Text.Json;

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
    public static PodView? Newest(IReadOnlyList<JsonElement> pods) =>
        pods.Select(Of).OrderByDescending(p => p.Created).ThenByDescending(p => p.Name, StringComparer.Ordinal).FirstOrDefault();

    public static PodView Of(JsonElement pod)
    {
        var metadata = pod.GetProperty("metadata");
        var name = metadata.GetProperty("name").GetString()!;
        var created = metadata.TryGetProperty("creationTimestamp", out var c) && c.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(c.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
        var view = new PodView(name, "Unknown", created);
        if (!pod.TryGetProperty("status", out var status))
        {
            return view;
        }

        view = view with { Phase = Text(status, "phase") ?? "Unknown" };
        if (status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                if (Text(condition, "type") == "PodScheduled" && Text(condition, "status") == "False" && Text(condition, "reason") == "Unschedulable")
                {
                    view = view with { UnschedulableMessage = Text(condition, "message") ?? "no node fits the pod" };
                }
            }
        }

        if (status.TryGetProperty("containerStatuses", out var containers) && containers.ValueKind == JsonValueKind.Array)
        {
            foreach (var container in containers.EnumerateArray())
            {
                if (Text(container, "name") != JobManifest.ContainerName || !container.TryGetProperty("state", out var state))
                {
                    continue;
                }

                if (state.TryGetProperty("waiting", out var waiting))
                {
                    view = view with { WaitingReason = Text(waiting, "reason"), WaitingMessage = Text(waiting, "message") };
                }
                else if (state.TryGetProperty("running", out _))
                {
                    view = view with { HasStarted = true };
                }
                else if (state.TryGetProperty("terminated", out var terminated))
                {
                    view = view with
                    {
                        HasStarted = true,
                        ExitCode = terminated.TryGetProperty("exitCode", out var code) && code.TryGetInt32(out var exit) ? exit : null,
                        TerminatedReason = Text(terminated, "reason"),
                    };
                }
            }
        }

        return view;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
