using System.Globalization;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using k8s;
using k8s.Models;

namespace BatchOrchestrator.Executors.Kubernetes.Jobs;

/// <summary>
/// The batch/v1 Job for one try. We own retries (the engine's <c>_retry</c>), so the Job never
/// retries by itself (<c>backoffLimit: 0</c>, <c>restartPolicy: Never</c>) — except for a pod lost
/// to a disruption (node drain, preemption), which is not the task's fault: the pod failure
/// policy ignores those and the Job starts a new pod. The task timeout becomes
/// <c>activeDeadlineSeconds</c>, so the cluster enforces it even when no engine is watching; a
/// finished Job the engine never cleans up is removed by its TTL.
/// <para>Values that came from <c>${secret:...}</c> (<see cref="CommandRequest.SecretParts"/>) never
/// appear in the Job, which anyone allowed to read Jobs can read: they go into a per-try
/// Secret of the Job's name (<see cref="JobObjects.Secret"/>), and the container reads them through
/// <c>valueFrom.secretKeyRef</c>. A command line that held a secret travels whole in that Secret
/// (<c>BO_ARG_i</c>); so do the files when one of them held a secret (<c>BO_FILE_DATA_i</c>).</para>
/// </summary>
public static class JobManifest
{
    public const string ContainerName = "main";

    /// <summary>Kubernetes refuses objects over about 1.5 MiB; files travel inside the spec.</summary>
    private const int MaxFileBytes = 512 * 1024;

    public static JobObjects Build(CommandRequest request, ContainerSettings settings, string name, string ns, TimeSpan ttlAfterFinished)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        var labels = new JobLabels(request.AttemptId, request.TaskName, request.Try, name);
        var environment = Environment(request, name);
        var spec = new V1JobSpec
        {
            BackoffLimit = 0,
            TtlSecondsAfterFinished = (int)Math.Min(int.MaxValue, Math.Ceiling(ttlAfterFinished.TotalSeconds)),
            PodFailurePolicy = new V1PodFailurePolicy
            {
                Rules = [new V1PodFailurePolicyRule { Action = "Ignore", OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }] }],
            },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = labels.Labels(forPod: true), Annotations = labels.Annotations() },
                Spec = PodSpec(request, settings, name, environment),
            },
        };
        if (request.Timeout is { } timeout)
        {
            spec.ActiveDeadlineSeconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds));
        }

        var job = new V1Job { ApiVersion = "batch/v1", Kind = "Job", Metadata = Metadata(name, ns, labels), Spec = spec };
        return new JobObjects(job, SecretOf(environment, name, ns, labels));
    }

    /// <summary>The owner reference that makes a try's Secret go when its Job goes (garbage collection, e.g. after the Job's TTL).</summary>
    public static V1OwnerReference OwnerReference(string jobName, string jobUid) => new() { ApiVersion = "batch/v1", Kind = "Job", Name = jobName, Uid = jobUid };

    private static V1ObjectMeta Metadata(string name, string ns, JobLabels labels) => new()
    {
        Name = name,
        NamespaceProperty = ns,
        Labels = labels.Labels(forPod: false),
        Annotations = labels.Annotations(),
    };

    private static V1Secret? SecretOf(IReadOnlyList<EnvEntry> environment, string name, string ns, JobLabels labels)
    {
        var secret = environment.Where(e => e.SecretKey is not null).ToList();
        if (secret.Count == 0)
        {
            return null;
        }

        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = Metadata(name, ns, labels),
            Type = "Opaque",
            // A try's values never change: immutable Secrets are also cheaper for the kubelet (no watch).
            Immutable = true,
            Data = secret.ToDictionary(e => e.SecretKey!, e => System.Text.Encoding.UTF8.GetBytes(e.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>The token of the output block markers, from the Job name's hash (not a secret: it only keeps the block from being mistaken).</summary>
    public static string OutputToken(string jobName) => JobName.Hash("output\n" + jobName, 16);

    private static V1PodSpec PodSpec(CommandRequest request, ContainerSettings settings, string name, IReadOnlyList<EnvEntry> environment)
    {
        // A command line that held a secret travels in the try's Secret (BO_ARG_i), not in the spec.
        var command = request.SecretParts.Command ? CommandWrapper.Wrap([]) : CommandWrapper.Wrap(request.Command);
        var container = new V1Container
        {
            Name = ContainerName,
            Image = settings.Image,
            Command = [.. command],
            Env = [.. environment.Select(e => e.ToVariable(name))],
            ImagePullPolicy = settings.ImagePullPolicy,
        };
        if (settings.Secrets.Count > 0)
        {
            container.EnvFrom = [.. settings.Secrets.Select(s => new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = s } })];
        }

        if (settings.Cpu is not null || settings.Memory is not null)
        {
            var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
            if (settings.Cpu is { } cpu)
            {
                requests["cpu"] = Quantity(cpu, "cpu");
            }

            container.Resources = new V1ResourceRequirements { Requests = requests };
            if (settings.Memory is { } memory)
            {
                // Memory is not compressible: a limit equal to the request avoids surprise OOM kills of neighbours.
                requests["memory"] = Quantity(memory, "memory");
                container.Resources.Limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["memory"] = Quantity(memory, "memory") };
            }
        }

        var pod = new V1PodSpec
        {
            RestartPolicy = "Never",
            Containers = [container],
            ServiceAccountName = settings.ServiceAccount,
        };
        if (settings.NodeSelector.Count > 0)
        {
            pod.NodeSelector = settings.NodeSelector.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        }

        if (settings.Tolerations.Count > 0)
        {
            pod.Tolerations = [.. settings.Tolerations.Select(t => KubernetesJson.Deserialize<V1Toleration>(t.GetRawText()))];
        }

        return pod;
    }

    /// <summary>The library parses quantities as it builds the Job: one it cannot read fails the task here, before any call.</summary>
    private static ResourceQuantity Quantity(string text, string what)
    {
        try
        {
            return new ResourceQuantity(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new TaskFailure($"container.{what} '{text}' is not a Kubernetes quantity (such as 2, 500m or 4Gi): {e.Message}", retryable: false);
        }
    }

    private static List<EnvEntry> Environment(CommandRequest request, string name)
    {
        var env = new List<EnvEntry>();
        var secretNames = new HashSet<string>(request.SecretParts.Environment, StringComparer.Ordinal);
        void Add(string key, string value, bool secret = false) => env.Add(new EnvEntry(key, value, secret ? SecretKeyFor(key) : null));

        foreach (var (key, value) in request.Environment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // The wrapper's own variables win: a param must not redirect the task folder or the output.
            if (key is not ("BO_TASK_DIR" or "BO_OUTPUT" or "BO_OUTPUT_TOKEN" or "BO_FILE_COUNT" or "BO_ARG_COUNT")
                && !key.StartsWith("BO_FILE_", StringComparison.Ordinal) && !key.StartsWith("BO_ARG_", StringComparison.Ordinal))
            {
                Add(key, value, secretNames.Contains(key));
            }
        }

        Add("BO_TASK_DIR", CommandWrapper.TaskDirectory);
        Add("BO_OUTPUT_TOKEN", OutputToken(name));
        if (request.SecretParts.Command)
        {
            for (var i = 0; i < request.Command.Count; i++)
            {
                Add($"BO_ARG_{i.ToString(CultureInfo.InvariantCulture)}", request.Command[i], secret: true);
            }

            Add("BO_ARG_COUNT", request.Command.Count.ToString(CultureInfo.InvariantCulture));
        }

        var index = 0;
        foreach (var (file, content) in request.Files.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (file.StartsWith('/') || file.Split('/').Contains(".."))
            {
                throw new TaskFailure($"Command file '{file}' is outside the task folder.", retryable: false);
            }

            if (System.Text.Encoding.UTF8.GetByteCount(content) > MaxFileBytes)
            {
                throw new TaskFailure($"Command file '{file}' is larger than {MaxFileBytes / 1024} KiB, too large to travel in a Kubernetes Job spec.", retryable: false);
            }

            var i = index.ToString(CultureInfo.InvariantCulture);
            Add($"BO_FILE_NAME_{i}", file);
            Add($"BO_FILE_DATA_{i}", content, request.SecretParts.Files);
            index++;
        }

        Add("BO_FILE_COUNT", index.ToString(CultureInfo.InvariantCulture));
        return env;
    }

    /// <summary>The variable's name when it is a valid Secret key (<c>[-._a-zA-Z0-9]+</c>), else one made from its hash.</summary>
    private static string SecretKeyFor(string variable) =>
        variable.Length is > 0 and <= 253 && variable.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')
            ? variable
            : "env-" + JobName.Hash(variable, 16);

    /// <summary>One variable of the container; <see cref="SecretKey"/> set when its value lives in the try's Secret.</summary>
    private sealed record EnvEntry(string Name, string Value, string? SecretKey)
    {
        public V1EnvVar ToVariable(string secretName) => SecretKey is null
            ? new V1EnvVar { Name = Name, Value = Value }
            : new V1EnvVar { Name = Name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secretName, Key = SecretKey } } };
    }
}

/// <summary>What a try creates: its Job, and the Secret holding the values that came from secrets (null when none did).</summary>
public sealed record JobObjects(V1Job Job, V1Secret? Secret);
