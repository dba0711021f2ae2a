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
                ["spec"] = PodSpec(request, settings, name, environment),
            },
        };
        if (request.Timeout is { } timeout)
        {
            spec["activeDeadlineSeconds"] = Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds));
        }

        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = Metadata(name, ns, labels),
            ["spec"] = spec,
        };
        return new JobObjects(job, SecretOf(environment, name, ns, labels));
    }

    /// <summary>The owner reference that makes a try's Secret go when its Job goes (garbage collection, e.g. after the Job's TTL).</summary>
    public static JsonObject OwnerReference(string jobName, string jobUid) => new()
    {
        ["apiVersion"] = "batch/v1",
        ["kind"] = "Job",
        ["name"] = jobName,
        ["uid"] = jobUid,
    };

    private static JsonObject Metadata(string name, string ns, JobLabels labels) => new()
    {
        ["name"] = name,
        ["namespace"] = ns,
        ["labels"] = labels.Labels(forPod: false),
        ["annotations"] = labels.Annotations(),
    };

    private static JsonObject? SecretOf(IReadOnlyList<EnvEntry> environment, string name, string ns, JobLabels labels)
    {
        var secret = environment.Where(e => e.SecretKey is not null).ToList();
        if (secret.Count == 0)
        {
            return null;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = Metadata(name, ns, labels),
            ["type"] = "Opaque",
            // A try's values never change: immutable Secrets are also cheaper for the kubelet (no watch).
            ["immutable"] = true,
            ["data"] = new JsonObject(secret.Select(e => KeyValuePair.Create(e.SecretKey!, (JsonNode?)Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(e.Value))))),
        };
    }

    /// <summary>The token of the output block markers, from the Job name's hash (not a secret: it only keeps the block from being mistaken).</summary>
    public static string OutputToken(string jobName) => JobName.Hash("output\n" + jobName, 16);

    private static JsonObject PodSpec(CommandRequest request, ContainerSettings settings, string name, IReadOnlyList<EnvEntry> environment)
    {
        // A command line that held a secret travels in the try's Secret (BO_ARG_i), not in the spec.
        var command = request.SecretParts.Command ? CommandWrapper.Wrap([]) : CommandWrapper.Wrap(request.Command);
        var container = new JsonObject
        {
            ["name"] = ContainerName,
            ["image"] = settings.Image,
            ["command"] = new JsonArray([.. command.Select(a => (JsonNode)JsonValue.Create(a))]),
            ["env"] = new JsonArray([.. environment.Select(e => (JsonNode)e.ToJson(name))]),
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
        public JsonObject ToJson(string secretName) => SecretKey is null
            ? new JsonObject { ["name"] = Name, ["value"] = Value }
            : new JsonObject
            {
                ["name"] = Name,
                ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = secretName, ["key"] = SecretKey } },
            };
    }
}

/// <summary>What a try creates: its Job, and the Secret holding the values that came from secrets (null when none did).</summary>
public sealed record JobObjects(JsonObject Job, JsonObject? Secret);
