using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Executors.Kubernetes.Jobs;

/// <summary>
/// The batch/v1 Job for one try. We own retries (the engine's <c>_retry</c>), so the Job never
/// retries by itself (<c>backoffLimit: 0</c>, <c>restartPolicy: Never</c>) — except for a pod lost
/// to a disruption (node drain, preemption), which is not the task's fault: the pod failure
/// policy ignores those and the Job starts a new pod. The task timeout becomes
/// <c>activeDeadlineSeconds</c>, so the cluster enforces it even when no engine is watching; a
/// finished Job the engine never cleans up is removed by its TTL.
/// </summary>
public static class JobManifest
{
    public const string ContainerName = "main";

    /// <summary>Kubernetes refuses objects over about 1.5 MiB; files travel inside the spec.</summary>
    private const int MaxFileBytes = 512 * 1024;

    public static JsonObject Build(CommandRequest request, ContainerSettings settings, string name, string ns, TimeSpan ttlAfterFinished)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        var labels = new JobLabels(request.AttemptId, request.TaskName, request.Try, name);
        var spec = new JsonObject
        {
            ["backoffLimit"] = 0,
            ["ttlSecondsAfterFinished"] = (long)Math.Ceiling(ttlAfterFinished.TotalSeconds),
            ["podFailurePolicy"] = new JsonObject
            {
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["action"] = "Ignore",
                    ["onPodConditions"] = new JsonArray(new JsonObject { ["type"] = "DisruptionTarget", ["status"] = "True" }),
                }),
            },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = labels.Labels(forPod: true), ["annotations"] = labels.Annotations() },
                ["spec"] = PodSpec(request, settings, name),
            },
        };
        if (request.Timeout is { } timeout)
        {
            spec["activeDeadlineSeconds"] = Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds));
        }

        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = labels.Labels(forPod: false),
                ["annotations"] = labels.Annotations(),
            },
            ["spec"] = spec,
        };
    }

    /// <summary>The token of the output block markers, from the Job name's hash (not a secret: it only keeps the block from being mistaken).</summary>
    public static string OutputToken(string jobName) => JobName.Hash("output\n" + jobName, 16);

    private static JsonObject PodSpec(CommandRequest request, ContainerSettings settings, string name)
    {
        var container = new JsonObject
        {
            ["name"] = ContainerName,
            ["image"] = settings.Image,
            ["command"] = new JsonArray([.. CommandWrapper.Wrap(request.Command).Select(a => (JsonNode)JsonValue.Create(a))]),
            ["env"] = Environment(request, name),
        };
        if (settings.ImagePullPolicy is { } pullPolicy)
        {
            container["imagePullPolicy"] = pullPolicy;
        }

        if (settings.Secrets.Count > 0)
        {
            container["envFrom"] = new JsonArray([.. settings.Secrets.Select(s => (JsonNode)new JsonObject { ["secretRef"] = new JsonObject { ["name"] = s } })]);
        }

        if (settings.Cpu is not null || settings.Memory is not null)
        {
            var requests = new JsonObject();
            var limits = new JsonObject();
            if (settings.Cpu is { } cpu)
            {
                requests["cpu"] = cpu;
            }

            if (settings.Memory is { } memory)
            {
                // Memory is not compressible: a limit equal to the request avoids surprise OOM kills of neighbours.
                requests["memory"] = memory;
                limits["memory"] = memory;
            }

            container["resources"] = limits.Count > 0 ? new JsonObject { ["requests"] = requests, ["limits"] = limits } : new JsonObject { ["requests"] = requests };
        }

        var pod = new JsonObject
        {
            ["restartPolicy"] = "Never",
            ["containers"] = new JsonArray(container),
        };
        if (settings.ServiceAccount is { } account)
        {
            pod["serviceAccountName"] = account;
        }

        if (settings.NodeSelector.Count > 0)
        {
            pod["nodeSelector"] = new JsonObject(settings.NodeSelector.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        }

        if (settings.Tolerations.Count > 0)
        {
            pod["tolerations"] = new JsonArray([.. settings.Tolerations.Select(t => JsonNode.Parse(t.GetRawText()))]);
        }

        return pod;
    }

    private static JsonArray Environment(CommandRequest request, string name)
    {
        var env = new JsonArray();
        void Add(string key, string value) => env.Add(new JsonObject { ["name"] = key, ["value"] = value });

        foreach (var (key, value) in request.Environment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // The wrapper's own variables win: a param must not redirect the task folder or the output.
            if (key is not ("BO_TASK_DIR" or "BO_OUTPUT" or "BO_OUTPUT_TOKEN" or "BO_FILE_COUNT") && !key.StartsWith("BO_FILE_", StringComparison.Ordinal))
            {
                Add(key, value);
            }
        }

        Add("BO_TASK_DIR", CommandWrapper.TaskDirectory);
        Add("BO_OUTPUT_TOKEN", OutputToken(name));
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
            Add($"BO_FILE_DATA_{i}", content);
            index++;
        }

        Add("BO_FILE_COUNT", index.ToString(CultureInfo.InvariantCulture));
        return env;
    }
}
