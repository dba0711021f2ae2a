using k8s.Models;

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
    public static JobConditions Of(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        V1JobCondition? decided = null;
        foreach (var condition in job.Status?.Conditions ?? [])
        {
            if (condition.Status != "True")
            {
                continue;
            }

            switch (condition.Type)
            {
                case "Complete":
                    return new JobConditions(JobProgress.Succeeded, condition.Reason, condition.Message);
                case "Failed":
                    return new JobConditions(JobProgress.Failed, condition.Reason ?? decided?.Reason, condition.Message ?? decided?.Message);
                case "SuccessCriteriaMet" or "FailureTarget":
                    decided = condition;
                    break;
            }
        }

        return decided is null
            ? new JobConditions(JobProgress.Running, null, null)
            : new JobConditions(JobProgress.Deciding, decided.Reason, decided.Message);
    }
}
