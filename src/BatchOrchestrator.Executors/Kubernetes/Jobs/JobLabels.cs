using k8s.Models;

namespace BatchOrchestrator.Executors.Kubernetes.Jobs;

/// <summary>
/// The labels and annotations that say which try a Job runs. Label values are hashes (attempt
/// ids and task names do not fit label syntax); the annotations keep the full text for people
/// and for the adoption check, which compares both before a 409 is taken as "ours".
/// </summary>
public sealed record JobLabels(string AttemptId, string TaskName, int Try, string JobName)
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "batchorchestrator";
    public const string Attempt = "batchorchestrator.io/attempt";
    public const string Task = "batchorchestrator.io/task";
    public const string TryLabel = "batchorchestrator.io/try";
    public const string Job = "batchorchestrator.io/job";
    public const string AttemptIdAnnotation = "batchorchestrator.io/attempt-id";
    public const string TaskNameAnnotation = "batchorchestrator.io/task-name";

    public string AttemptHash => Kubernetes.Jobs.JobName.Hash(AttemptId, 16);

    /// <summary>Selects every Job of an attempt (kill deletes them).</summary>
    public static string AttemptSelector(string attemptId) => $"{Attempt}={Kubernetes.Jobs.JobName.Hash(attemptId, 16)}";

    /// <summary>Selects the pods of one Job (set on the pod template).</summary>
    public static string PodSelector(string jobName) => $"{Job}={jobName}";

    public Dictionary<string, string> Labels(bool forPod)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ManagedBy] = ManagedByValue,
            [Attempt] = AttemptHash,
            [Task] = Kubernetes.Jobs.JobName.Hash(TaskName, 16),
            [TryLabel] = Try.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (forPod)
        {
            labels[Job] = JobName;
        }

        return labels;
    }

    public Dictionary<string, string> Annotations() => new(StringComparer.Ordinal)
    {
        [AttemptIdAnnotation] = AttemptId,
        [TaskNameAnnotation] = TaskName,
    };

    /// <summary>Whether an existing object (met on 409) was made for this very try.</summary>
    public bool Match(V1ObjectMeta? metadata, out string? mismatch)
    {
        mismatch = null;
        if (metadata is null)
        {
            mismatch = "it has no metadata";
            return false;
        }

        var expected = Labels(forPod: false).Select(p => (p.Key, p.Value, Map: metadata.Labels))
            .Concat(Annotations().Select(p => (p.Key, p.Value, Map: metadata.Annotations)));
        foreach (var (key, value, map) in expected)
        {
            var actual = map is not null && map.TryGetValue(key, out var found) ? found : null;
            if (actual != value)
            {
                mismatch = $"its {key} is '{actual ?? "(none)"}', expected '{value}'";
                return false;
            }
        }

        return true;
    }
}
