using System.Globalization;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>
/// The state of the fake API server: Jobs, their pods and events, a resourceVersion counter and
/// the change history watches read. A background "controller + kubelet" loop moves pods along
/// their scripts and sets Job conditions in the order Kubernetes 1.31+ does (SuccessCriteriaMet
/// then Complete; FailureTarget then Failed), enforces activeDeadlineSeconds and deletes finished
/// Jobs after ttlSecondsAfterFinished.
/// </summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Ns, string Name), JsonObject> _jobs = [];
    private readonly Dictionary<(string Ns, string Name), JsonObject> _secrets = [];
    private readonly List<string> _jobBodies = [];
    private readonly Dictionary<(string Ns, string Name), DateTimeOffset> _decidedAt = [];
    private readonly List<FakePod> _pods = [];
    private readonly List<(string Ns, JsonObject Event)> _events = [];
    private readonly List<(long Version, string Type, string Ns, JsonObject Job)> _history = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version = 1000;
    private long _oldest = 1000;
    private int _podSerial;

    public FakeCluster() => _loop = RunAsync();

    /// <summary>How long a pod stays ContainerCreating.</summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromMilliseconds(40);

    public int Creates { get; private set; }

    /// <summary>Every Job body the server received (create requests, as sent), to check what a Job reader could see.</summary>
    public IReadOnlyList<string> JobBodies
    {
        get
        {
            lock (_gate)
            {
                return [.. _jobBodies];
            }
        }
    }

    public int Conflicts { get; private set; }

    public List<string> Deletes { get; } = [];

    /// <summary>The next this many watch requests get an in-stream ERROR 410 Expired.</summary>
    public int ExpireNextWatches { get; set; }

    /// <summary>The next this many watch requests are closed by the server right after their headers.</summary>
    public int CloseNextWatches { get; set; }

    public int WatchRequests { get; set; }

    public int SecretReads { get; set; }

    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public long OldestVersion
    {
        get
        {
            lock (_gate)
            {
                return _oldest;
            }
        }
    }

    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public JsonObject? Create(string ns, JsonObject job, out bool conflict)
    {
        var name = job["metadata"]!["name"]!.GetValue<string>();
        lock (_gate)
        {
            _jobBodies.Add(job.ToJsonString());
            if (_jobs.ContainsKey((ns, name)))
            {
                Conflicts++;
                conflict = true;
                return null;
            }

            conflict = false;
            Creates++;
            var metadata = job["metadata"]!.AsObject();
            metadata["namespace"] = ns;
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = FakeTime.Seconds(DateTimeOffset.UtcNow);
            job["status"] = new JsonObject { ["startTime"] = FakeTime.Seconds(DateTimeOffset.UtcNow), ["active"] = 1 };
            _jobs[(ns, name)] = job;
            var template = job["spec"]!["template"]!;
            var labels = template["metadata"]?["labels"]?.AsObject().DeepClone().AsObject() ?? [];
            labels["batch.kubernetes.io/job-name"] = name;
            var pod = new FakePod(ns, $"{name}-{_podSerial++:x5}", name, labels, FakePodScript.For(template["spec"]!.AsObject(), (secret, key) => SecretValueLocked(ns, secret, key)), DateTimeOffset.UtcNow);
            _pods.Add(pod);
            Changed_("ADDED", ns, job);
            return (JsonObject)job.DeepClone();
        }
    }

    /// <summary>Stores a Secret as the API server does: <c>data</c> must be base64; <c>stringData</c> is merged into it and not kept.</summary>
    public JsonObject? CreateSecret(string ns, JsonObject secret, out bool conflict)
    {
        var name = secret["metadata"]!["name"]!.GetValue<string>();
        lock (_gate)
        {
            conflict = _secrets.ContainsKey((ns, name));
            if (conflict)
            {
                return null;
            }

            var data = secret["data"]?.AsObject() ?? [];
            foreach (var (key, value) in data)
            {
                _ = Convert.FromBase64String(value!.GetValue<string>());
            }

            if (secret["stringData"] is JsonObject stringData)
            {
                foreach (var (key, value) in stringData)
                {
                    data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value!.GetValue<string>()));
                }

                secret.Remove("stringData");
            }

            secret["data"] = data;
            var metadata = secret["metadata"]!.AsObject();
            metadata["namespace"] = ns;
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = FakeTime.Seconds(DateTimeOffset.UtcNow);
            metadata["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
            _secrets[(ns, name)] = secret;
            return (JsonObject)secret.DeepClone();
        }
    }

    public JsonObject? GetSecret(string ns, string name)
    {
        lock (_gate)
        {
            return _secrets.TryGetValue((ns, name), out var secret) ? (JsonObject)secret.DeepClone() : null;
        }
    }

    /// <summary>
    /// A JSON merge patch of a Secret: metadata (labels, annotations, ownerReferences) and data
    /// (base64; null removes a key). Null when there is no such Secret; throws
    /// <see cref="InvalidOperationException"/> for data of an immutable Secret (422 on the wire).
    /// </summary>
    public JsonObject? PatchSecret(string ns, string name, JsonObject patch)
    {
        lock (_gate)
        {
            if (!_secrets.TryGetValue((ns, name), out var secret))
            {
                return null;
            }

            if (patch["data"] is JsonObject data)
            {
                if (secret["immutable"]?.GetValue<bool>() == true)
                {
                    throw new InvalidOperationException($"Secret \"{name}\" is invalid: data: Forbidden: field is immutable when `immutable` is set");
                }

                var stored = secret["data"]!.AsObject();
                foreach (var (key, value) in data)
                {
                    if (value is null)
                    {
                        stored.Remove(key);
                    }
                    else
                    {
                        _ = Convert.FromBase64String(value.GetValue<string>());
                        stored[key] = value.DeepClone();
                    }
                }
            }

            var metadata = secret["metadata"]!.AsObject();
            foreach (var (key, value) in patch["metadata"]?.AsObject() ?? [])
            {
                if (key is "ownerReferences" or "labels" or "annotations")
                {
                    metadata[key] = value?.DeepClone();
                }
            }

            metadata["resourceVersion"] = (++_version).ToString(CultureInfo.InvariantCulture);
            return (JsonObject)secret.DeepClone();
        }
    }

    public bool DeleteSecret(string ns, string name)
    {
        lock (_gate)
        {
            return _secrets.Remove((ns, name));
        }
    }

    public IReadOnlyList<string> SecretNames(string ns)
    {
        lock (_gate)
        {
            return [.. _secrets.Keys.Where(k => k.Ns == ns).Select(k => k.Name).Order(StringComparer.Ordinal)];
        }
    }

    public JsonObject? Get(string ns, string name)
    {
        lock (_gate)
        {
            return _jobs.TryGetValue((ns, name), out var job) ? (JsonObject)job.DeepClone() : null;
        }
    }

    public bool Delete(string ns, string name, string? propagationPolicy)
    {
        lock (_gate)
        {
            Deletes.Add($"{name}:{propagationPolicy}");
            return DeleteLocked(ns, name, deletePods: propagationPolicy is "Background" or "Foreground");
        }
    }

    public (List<JsonObject> Items, long Version) ListJobs(string ns, Func<JsonObject, bool> match)
    {
        lock (_gate)
        {
            return ([.. _jobs.Where(p => p.Key.Ns == ns && match(p.Value)).Select(p => (JsonObject)p.Value.DeepClone())], _version);
        }
    }

    public (List<JsonObject> Items, long Version) ListPods(string ns, Func<JsonObject, bool> match)
    {
        lock (_gate)
        {
            return ([.. _pods.Where(p => p.Namespace == ns).Select(p => p.ToJson()).Where(match)], _version);
        }
    }

    public List<JsonObject> Events(string ns, string involvedName)
    {
        lock (_gate)
        {
            return [.. _events.Where(e => e.Ns == ns && e.Event["involvedObject"]!["name"]!.GetValue<string>() == involvedName).Select(e => (JsonObject)e.Event.DeepClone())];
        }
    }

    /// <summary>A pod by name, read under the lock by <paramref name="read"/>; null when there is none.</summary>
    public T? WithPod<T>(string ns, string name, Func<FakePod, T> read)
    {
        lock (_gate)
        {
            var pod = _pods.FirstOrDefault(p => p.Namespace == ns && p.Name == name);
            return pod is null ? default : read(pod);
        }
    }

    /// <summary>Watch events after <paramref name="after"/> in a namespace; null when that version is older than the history kept (410).</summary>
    public List<(long Version, string Type, JsonObject Job)>? EventsAfter(string ns, long after)
    {
        lock (_gate)
        {
            if (after < _oldest)
            {
                return null;
            }

            return [.. _history.Where(h => h.Version > after && h.Ns == ns).Select(h => (h.Version, h.Type, (JsonObject)h.Job.DeepClone()))];
        }
    }

    /// <summary>Drops the watch history, as etcd compaction does: watches from older versions get 410.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _oldest = _version;
        }
    }

    /// <summary>Changes a Job many times (for the watch benchmark): each change is a MODIFIED event.</summary>
    public void Touch(string ns, string name, int times)
    {
        lock (_gate)
        {
            var job = _jobs[(ns, name)];
            for (var i = 0; i < times; i++)
            {
                job["status"]!["ready"] = i % 2;
                Changed_("MODIFIED", ns, job);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(10, _stop.Token);
            lock (_gate)
            {
                Tick(DateTimeOffset.UtcNow);
            }
        }
    }

    private void Tick(DateTimeOffset now)
    {
        foreach (var ((ns, name), job) in _jobs.ToList())
        {
            var status = job["status"]!.AsObject();
            var spec = job["spec"]!;
            var conditions = status["conditions"] as JsonArray;
            if (conditions is not null && _decidedAt.TryGetValue((ns, name), out var decided))
            {
                var final = conditions.Any(c => c!["type"]!.GetValue<string>() is "Complete" or "Failed");
                if (!final && now - decided >= TimeSpan.FromMilliseconds(30))
                {
                    var first = conditions[0]!;
                    var success = first["type"]!.GetValue<string>() == "SuccessCriteriaMet";
                    conditions.Add(Condition(success ? "Complete" : "Failed", first["reason"]!.GetValue<string>(), first["message"]?.GetValue<string>(), now));
                    status["active"] = 0;
                    if (success)
                    {
                        status["completionTime"] = FakeTime.Seconds(now);
                    }

                    Changed_("MODIFIED", ns, job);
                }
                else if (final && spec["ttlSecondsAfterFinished"] is { } ttl && now - decided >= TimeSpan.FromSeconds(ttl.GetValue<long>()))
                {
                    DeleteLocked(ns, name, deletePods: true);
                }

                continue;
            }

            var pod = _pods.LastOrDefault(p => p.Namespace == ns && p.JobName == name);
            if (pod is null)
            {
                continue;
            }

            var started = DateTimeOffset.Parse(status["startTime"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            if (spec["activeDeadlineSeconds"] is { } deadline && now - started >= TimeSpan.FromSeconds(deadline.GetValue<long>()) && !pod.Terminated)
            {
                pod.ExitCode = 137;
                pod.TerminatedReason = "Error";
                Decide(ns, name, job, success: false, "DeadlineExceeded", "Job was active longer than specified deadline", now);
                continue;
            }

            Advance(pod, now);
            if (pod.Terminated)
            {
                var success = pod.ExitCode == 0;
                status[success ? "succeeded" : "failed"] = 1;
                Decide(ns, name, job, success, success ? "CompletionsReached" : "BackoffLimitExceeded", success ? "Reached expected number of succeeded pods" : "Job has reached the specified backoff limit", now);
            }
        }
    }

    private void Advance(FakePod pod, DateTimeOffset now)
    {
        var script = pod.Script;
        if (script.Unschedulable)
        {
            AddEventsOnce(pod, ("Warning", "FailedScheduling", "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."));
            return;
        }

        if (script.StuckReason is { } reason)
        {
            if (now - pod.Created >= TimeSpan.FromMilliseconds(20))
            {
                pod.WaitingReason = reason;
                pod.WaitingMessage = script.StuckMessage;
                AddEventsOnce(
                    pod,
                    reason == "ImagePullBackOff"
                        ? [("Normal", "Scheduled", $"Successfully assigned {pod.Namespace}/{pod.Name} to node-1"), ("Normal", "Pulling", "Pulling image"), ("Warning", "Failed", "Failed to pull image: rpc error: code = NotFound desc = failed to pull and unpack image: not found"), ("Warning", "Failed", "Error: ErrImagePull"), ("Normal", "BackOff", "Back-off pulling image"), ("Warning", "Failed", "Error: ImagePullBackOff")]
                        : [("Normal", "Scheduled", $"Successfully assigned {pod.Namespace}/{pod.Name} to node-1"), ("Warning", "Failed", $"Error: {script.StuckMessage}")]);
            }

            return;
        }

        if (now - pod.Created < StartDelay || pod.Terminated)
        {
            return;
        }

        if (!pod.Running)
        {
            pod.Running = true;
            pod.WaitingReason = null;
            pod.StartedNanos = FakeTime.NowNanos();
        }

        var elapsed = TimeSpan.FromTicks((FakeTime.NowNanos() - pod.StartedNanos) / 100);
        while (pod.EmittedLines < script.Lines.Count && script.Lines[pod.EmittedLines].At <= elapsed)
        {
            var (at, line) = script.Lines[pod.EmittedLines++];
            pod.Log.Add((pod.StartedNanos + (at.Ticks * 100), line));
        }

        if (pod.EmittedLines == script.Lines.Count && elapsed >= script.ExitAt)
        {
            pod.ExitCode = script.ExitCode;
        }
    }

    private void AddEventsOnce(FakePod pod, params (string Type, string Reason, string Message)[] events)
    {
        if (pod.EventsWritten)
        {
            return;
        }

        pod.EventsWritten = true;
        foreach (var (type, reason, message) in events)
        {
            _events.Add((pod.Namespace, new JsonObject
            {
                ["kind"] = "Event",
                ["apiVersion"] = "v1",
                ["metadata"] = new JsonObject { ["name"] = $"{pod.Name}.{_events.Count:x}", ["namespace"] = pod.Namespace },
                ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = pod.Namespace, ["name"] = pod.Name },
                ["reason"] = reason,
                ["message"] = message,
                ["type"] = type,
                ["count"] = 1,
            }));
        }
    }

    private void Decide(string ns, string name, JsonObject job, bool success, string reason, string message, DateTimeOffset now)
    {
        job["status"]!["conditions"] = new JsonArray(Condition(success ? "SuccessCriteriaMet" : "FailureTarget", reason, message, now));
        _decidedAt[(ns, name)] = now;
        Changed_("MODIFIED", ns, job);
    }

    private static JsonObject Condition(string type, string reason, string? message, DateTimeOffset now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastProbeTime"] = FakeTime.Seconds(now),
        ["lastTransitionTime"] = FakeTime.Seconds(now),
        ["reason"] = reason,
        ["message"] = message,
    };

    private bool DeleteLocked(string ns, string name, bool deletePods)
    {
        if (!_jobs.Remove((ns, name), out var job))
        {
            return false;
        }

        _decidedAt.Remove((ns, name));

        // The garbage collector: objects owned by the Job go with it.
        var uid = job["metadata"]!["uid"]?.GetValue<string>();
        foreach (var owned in _secrets.Where(p => p.Key.Ns == ns && (p.Value["metadata"]!["ownerReferences"] as JsonArray ?? []).Any(o => o!["uid"]?.GetValue<string>() == uid)).Select(p => p.Key).ToList())
        {
            _secrets.Remove(owned);
        }

        if (deletePods)
        {
            _pods.RemoveAll(p => p.Namespace == ns && p.JobName == name);
        }

        Changed_("DELETED", ns, job);
        return true;
    }

    /// <summary>What the kubelet reads for <c>secretKeyRef</c> / <c>envFrom</c>: the decoded value, or null when the Secret or key is missing.</summary>
    private string? SecretValueLocked(string ns, string name, string? key)
    {
        if (!_secrets.TryGetValue((ns, name), out var secret))
        {
            return null;
        }

        if (key is null)
        {
            return "";
        }

        return secret["data"]?[key]?.GetValue<string>() is { } encoded ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded)) : null;
    }

    private void Changed_(string type, string ns, JsonObject job)
    {
        _version++;
        job["metadata"]!["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
        _history.Add((_version, type, ns, (JsonObject)job.DeepClone()));
        if (_history.Count > 5000)
        {
            _oldest = _history[2500].Version - 1;
            _history.RemoveRange(0, 2500);
        }

        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }
}
