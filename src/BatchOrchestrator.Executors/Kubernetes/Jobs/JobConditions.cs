using System.Text.Json;

namespace BatchOrchestrator.Executors.Kubernetes.Jobs;

/// <summary>Where a Job is, read from its status conditions.</summary>
public enum JobProgress
{
    Running,

    /// <summary>
    /// The outcome is decided (<c>SuccessCriteriaMet</c> / <c>FailureTarget</c>) but pods may still
    /// be terminating; the terminal condition follows. Kubernetes 1.31+ sets these first.
    /// </summary>
    Deciding,
    Succeeded,
    Failed,
}

/// <summary>
/// Reads a Job's conditions. Only <c>Complete</c> and <c>Failed</c> end it — then the pods have
/// stopped and their logs are final; the earlier <c>SuccessCriteriaMet</c> / <c>FailureTarget</c>
/// say which way it goes (and why) while the pods are still being stopped.
/// </summary>
public sealed record JobConditions(JobProgress Progress, string? Reason, string? Message)
{
    public static JobConditions Of(JsonElement job)
    {
        string? Decided = null;
        (string? Reason, string? Message) why = default;
        if (job.ValueKind == JsonValueKind.Object && job.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object && status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
        {
            foreach (var condition in conditions.EnumerateArray())
            {
                if (Get(condition, "status") != "True")
                {
                    continue;
                }

                var type = Get(condition, "type");
                var reason = Get(condition, "reason");
                var message = Get(condition, "message");
                switch (type)
                {
                    case "Complete":
                        return new JobConditions(JobProgress.Succeeded, reason, message);
                    case "Failed":
                        return new JobConditions(JobProgress.Failed, reason ?? why.Reason, message ?? why.Message);
                    case "SuccessCriteriaMet" or "FailureTarget":
                        Decided = type;
                        why = (reason, message);
                        break;
                }
            }
        }

        return Decided is null
            ? new JobConditions(JobProgress.Running, null, null)
            : new JobConditions(JobProgress.Deciding, why.Reason, why.Message);
    }

    private static string? Get(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
