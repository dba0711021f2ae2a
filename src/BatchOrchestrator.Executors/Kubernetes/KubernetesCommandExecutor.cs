using System.Net;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Jobs;
using BatchOrchestrator.Executors.Kubernetes.Logs;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace BatchOrchestrator.Executors.Kubernetes;

/// <summary>
/// Runs commands as Kubernetes Jobs (<c>container.executor: kubernetes</c>).
/// <para>Guarantees:</para>
/// <list type="bullet">
/// <item>One Job per (attempt, task, try), named from them: a launch delivered again meets 409
/// AlreadyExists and adopts the Job after checking its labels and annotations — the work never
/// runs twice. A Job of the same name made for something else fails the task with a clear message.</item>
/// <item>No call blocks for the life of the container: launch creates, each poll reads the Job
/// (watching it at most <see cref="KubernetesExecutorOptions.WatchWindow"/>), copies new log lines
/// and answers; the orchestrator waits between polls on a durable timer.</item>
/// <item>The pod's log reaches the task log as it runs, each line once, resumed by timestamp
/// from the position kept in the command state — lines copied stay copied if the pod goes away.
/// The log is read once more before cleanup, unless the poll that saw the Job finish already
/// read its terminated container's whole log.</item>
/// <item>A pod that cannot start (image pull errors, missing Secrets, unschedulable) fails the
/// task after <see cref="KubernetesExecutorOptions.StuckTimeout"/> with the reason and the pod's
/// events; the Job is deleted.</item>
/// <item>Cleanup and cancel delete the Job with <c>propagationPolicy=Background</c>, so its pods go too.</item>
/// <item>Values that came from secrets are never in the Job: they are in a Secret of the Job's
/// name, created before the Job, owned by it (so the garbage collector removes it with the Job,
/// TTL included) and deleted at cleanup and cancel (see <see cref="JobManifest"/>).</item>
/// </list>
/// </summary>
public sealed class KubernetesCommandExecutor : ICommandExecutor, IAttemptCommandCanceller, IDisposable
{
    public const string ExecutorName = KubernetesCommandData.Executor;

    private const int MaxEvents = 10;

    /// <summary>
    /// Log reads ask for <c>sinceSeconds</c> counted on our clock back to the last copied line (the
    /// library has no <c>sinceTime</c>); this much more covers a server clock ahead of ours. Lines
    /// read twice are skipped by timestamp (<see cref="LogBatch"/>), so the margin costs only bytes.
    /// </summary>
    private static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(2);

    private readonly IKubernetes _client;
    private readonly ILogStore _logs;
    private readonly KubernetesExecutorOptions _options;
    private readonly bool _ownsClient;

    public KubernetesCommandExecutor(IKubernetes client, ILogStore logs, KubernetesExecutorOptions? options = null, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logs);
        _client = client;
        _logs = logs;
        _options = options ?? new KubernetesExecutorOptions();
        _ownsClient = ownsClient;
    }

    public string Name => ExecutorName;

    public KubernetesExecutorOptions Options => _options;

    public async Task<CommandStatus> LaunchAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = ContainerSettings.Read(request.Container);
        var ns = settings.Namespace ?? _options.Namespace;
        var name = JobName.For(request.AttemptId, request.TaskName, request.Try);
        var objects = JobManifest.Build(request, settings, name, ns, _options.TtlAfterFinished);
        var labels = new JobLabels(request.AttemptId, request.TaskName, request.Try, name);
        // Only what names the Job: a launch delivered twice returns the same state.
        var data = new KubernetesCommandData(ns, name, request.Log, JobManifest.OutputToken(name)) { HasSecret = objects.Secret is not null };
        try
        {
            // The Secret first, so the pod never starts before its values exist; then the Job; then
            // the Secret is given to the Job, so it goes with the Job (TTL) even if no cleanup runs.
            if (objects.Secret is { } secret)
            {
                await CreateOrAdoptAsync(
                    "Secret", ns, name, labels, s => s.Metadata,
                    () => _client.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken),
                    () => OrNullAsync(() => _client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken))).ConfigureAwait(false);
            }

            var job = await CreateOrAdoptAsync(
                "Job", ns, name, labels, j => j.Metadata,
                () => _client.BatchV1.CreateNamespacedJobAsync(objects.Job, ns, cancellationToken: cancellationToken),
                () => OrNullAsync(() => _client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: cancellationToken))).ConfigureAwait(false);
            if (objects.Secret is not null && job.Metadata?.Uid is { } uid)
            {
                var owner = new V1Patch(new { metadata = new { ownerReferences = new[] { JobManifest.OwnerReference(name, uid) } } }, V1Patch.PatchType.MergePatch);
                await OrNullAsync(() => _client.CoreV1.PatchNamespacedSecretAsync(owner, name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }
        }
        catch (HttpOperationException e) when (!e.IsTransient() && e.Code() != HttpStatusCode.Unauthorized)
        {
            // A refusal (403 RBAC, 422 Invalid, a quota's 403) fails the same way every try: the task fails with the server's reason.
            throw new TaskFailure($"Kubernetes refused the Job {name} (or its Secret) in namespace {ns}: {e.Describe()}", retryable: false);
        }

        return new CommandStatus { Phase = CommandPhase.Pending, State = data.ToState(), PollAfter = _options.PollInterval };
    }

    public async Task<CommandStatus> PollAsync(CommandState state, CancellationToken cancellationToken)
    {
        var data = KubernetesCommandData.From(state);
        if (await OrNullAsync(() => _client.BatchV1.ReadNamespacedJobAsync(data.JobName, data.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false) is not { } job
            || await JobWaiter.WaitAsync(_client, data.Namespace, data.JobName, job, _options.WatchWindow, _options.Time, cancellationToken).ConfigureAwait(false) is not { } seen)
        {
            return Lost(data);
        }

        var conditions = JobConditions.Of(seen);
        var finished = conditions.Progress is JobProgress.Succeeded or JobProgress.Failed;
        var pods = await _client.CoreV1.ListNamespacedPodAsync(data.Namespace, labelSelector: JobLabels.PodSelector(data.JobName), cancellationToken: cancellationToken).ConfigureAwait(false);
        var pod = PodView.Newest(pods.Items);
        (data, var output) = await CopyLogsAsync(data, pod, finished, cancellationToken).ConfigureAwait(false);
        switch (conditions.Progress)
        {
            case JobProgress.Succeeded:
                return new CommandStatus { Phase = CommandPhase.Succeeded, State = data.ToState(), ExitCode = pod?.ExitCode ?? 0, OutputText = output };
            case JobProgress.Failed:
                return new CommandStatus
                {
                    Phase = CommandPhase.Failed,
                    State = data.ToState(),
                    ExitCode = pod?.ExitCode,
                    OutputText = output,
                    FailureMessage = await DescribeFailureAsync(data, conditions, pod, cancellationToken).ConfigureAwait(false),
                };
            case JobProgress.Deciding:
                // The outcome is known; the pods are stopping. Ask again soon for the final logs.
                return Waiting(data, CommandPhase.Running, TimeSpan.FromTicks(Math.Min(_options.PollInterval.Ticks, TimeSpan.FromSeconds(1).Ticks)));
            default:
                return await CheckStartAsync(data, pod, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<CommandState> CollectLogsAsync(CommandState state, CancellationToken cancellationToken)
    {
        var data = KubernetesCommandData.From(state);
        if (data.LogComplete)
        {
            // The poll that saw the Job finish read its terminated container's whole log: nothing can follow.
            return state;
        }

        var pods = await _client.CoreV1.ListNamespacedPodAsync(data.Namespace, labelSelector: JobLabels.PodSelector(data.JobName), cancellationToken: cancellationToken).ConfigureAwait(false);
        (data, _) = await CopyLogsAsync(data, PodView.Newest(pods.Items), final: true, cancellationToken).ConfigureAwait(false);
        return data.ToState();
    }

    public Task CancelAsync(CommandState state, CancellationToken cancellationToken) =>
        DeleteAsync(KubernetesCommandData.From(state), cancellationToken);

    public Task CleanupAsync(CommandState state, CancellationToken cancellationToken) =>
        DeleteAsync(KubernetesCommandData.From(state), cancellationToken);

    /// <summary>
    /// Deletes every Job of an attempt (it was killed), found by the attempt label in every
    /// namespace its tries used — each try's <c>container.namespace</c> (as <see cref="LaunchAsync"/>
    /// chose it) or its state's — and the host's own. Listed per namespace, not cluster-wide: a
    /// service account's Role is usually namespaced. Returns how many were deleted.
    /// </summary>
    public async Task<int> CancelAttemptAsync(string attemptId, IReadOnlyCollection<StartedTry> tries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tries);
        var namespaces = new SortedSet<string>(StringComparer.Ordinal) { _options.Namespace };
        foreach (var started in tries)
        {
            if (started.Command is { } state)
            {
                namespaces.Add(KubernetesCommandData.From(state).Namespace);
            }
            else if (NamespaceOf(started.Container) is { } ns)
            {
                namespaces.Add(ns);
            }
        }

        var deleted = 0;
        foreach (var ns in namespaces)
        {
            var jobs = await _client.BatchV1.ListNamespacedJobAsync(ns, labelSelector: JobLabels.AttemptSelector(attemptId), cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var job in jobs.Items)
            {
                var name = job.Metadata.Name;
                if (await DeleteJobAsync(ns, name, cancellationToken).ConfigureAwait(false))
                {
                    deleted++;
                }

                // The try's Secret, if it has one, has the Job's name (the garbage collector would take it too).
                await DeleteSecretAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }
        }

        return deleted;
    }

    /// <summary>The namespace settings send a Job to; null when they are invalid (such a launch created nothing).</summary>
    private string? NamespaceOf(JsonElement? container)
    {
        try
        {
            return ContainerSettings.Read(container).Namespace ?? _options.Namespace;
        }
        catch (TaskFailure)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>Deletes the Job (its pods in the background) and the try's Secret; both may be gone already.</summary>
    private async Task DeleteAsync(KubernetesCommandData data, CancellationToken cancellationToken)
    {
        await DeleteJobAsync(data.Namespace, data.JobName, cancellationToken).ConfigureAwait(false);
        if (data.HasSecret)
        {
            await DeleteSecretAsync(data.Namespace, data.JobName, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes a Job and, in the background, its pods (<c>propagationPolicy=Background</c>; the
    /// default for batch/v1 through the API is to orphan them). False when it was gone already.
    /// </summary>
    private async Task<bool> DeleteJobAsync(string ns, string name, CancellationToken cancellationToken) =>
        await OrNullAsync(() => _client.BatchV1.DeleteNamespacedJobAsync(name, ns, propagationPolicy: "Background", cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;

    private async Task DeleteSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        await OrNullAsync(() => _client.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);

    /// <summary>The call's answer, or null when the object is not there (404).</summary>
    private static async Task<T?> OrNullAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return null;
        }
    }

    /// <summary>Creates the object, or on 409 AlreadyExists adopts the existing one after checking it was made for this try. Returns the object.</summary>
    private static async Task<T> CreateOrAdoptAsync<T>(string kind, string ns, string name, JobLabels labels, Func<T, V1ObjectMeta?> metadata, Func<Task<T>> create, Func<Task<T?>> get)
        where T : class
    {
        // Twice at most: an object met on 409 may be deleted (TTL, a person) before we read it.
        for (var round = 0; ; round++)
        {
            try
            {
                return await create().ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.IsAlreadyExists() && round == 0)
            {
                if (await get().ConfigureAwait(false) is not { } existing)
                {
                    continue;
                }

                if (!labels.Match(metadata(existing), out var mismatch))
                {
                    throw new TaskFailure(
                        $"A {kind} named {name} already exists in namespace {ns} but was not made for this try ({mismatch}). " +
                        $"Delete it (kubectl delete {kind.ToLowerInvariant()} {name} -n {ns}) if it is left over, then retry.",
                        retryable: false);
                }

                return existing;
            }
        }
    }

    private async Task<(KubernetesCommandData Data, string? Output)> CopyLogsAsync(KubernetesCommandData data, PodView? pod, bool final, CancellationToken cancellationToken)
    {
        if (pod is null || !pod.HasStarted)
        {
            return (data, null);
        }

        var cursor = data.Cursor.Pod == pod.Name ? data.Cursor : new LogCursor(pod.Name);
        int? sinceSeconds = cursor.HasPosition ? SecondsSince(LogTimestamp.Second(cursor.LastNanos)) : null;
        string raw;
        try
        {
            raw = await ReadLogAsync(data.Namespace, pod.Name, sinceSeconds, null, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Code() is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            // 400: the container is still waiting; 404: the pod is gone. What was copied stays copied.
            return (data, null);
        }

        var batch = LogBatch.Read(raw, cursor, data.OutputToken, final);
        if (batch.NewText.Length > 0)
        {
            await _logs.AppendAsync(data.Log, batch.NewText, cancellationToken).ConfigureAwait(false);
        }

        return (data with { Cursor = batch.Cursor, LogComplete = final && pod.ExitCode is not null }, batch.Output);
    }

    /// <summary>Not finished: fails a pod that cannot start once it has waited long enough, else answers "pending"/"running".</summary>
    private async Task<CommandStatus> CheckStartAsync(KubernetesCommandData data, PodView? pod, CancellationToken cancellationToken)
    {
        var now = _options.Time.GetUtcNow();
        var stuck = pod is null ? null : StuckPod.Reason(pod);
        var pending = pod is null || pod.Phase == "Pending";
        data = data with
        {
            StuckSince = stuck is null ? null : data.StuckSince ?? now,
            PendingSince = pending ? data.PendingSince ?? now : null,
        };
        string? why = null;
        string? kind = null;
        if (data.StuckSince is { } stuckSince && now - stuckSince >= _options.StuckTimeout)
        {
            why = $"its pod {pod!.Name} could not start for {Describe(now - stuckSince)}: {stuck}";
            kind = StuckPod.Kind(pod);
        }
        else if (data.PendingSince is { } pendingSince && now - pendingSince >= _options.PendingTimeout)
        {
            kind = "pending_timeout";
            why = pod is null
                ? $"no pod was created for it in {Describe(now - pendingSince)} (a quota, a LimitRange or an admission webhook may refuse it: kubectl describe job {data.JobName} -n {data.Namespace})"
                : $"its pod {pod.Name} stayed Pending for {Describe(now - pendingSince)}{(pod.WaitingReason is { } reason ? $" ({reason})" : "")}";
        }

        if (why is null)
        {
            return Waiting(data, pending ? CommandPhase.Pending : CommandPhase.Running, _options.PollInterval);
        }

        var message = new StringBuilder($"Kubernetes Job {data.JobName} in namespace {data.Namespace} did not start: {why}.");
        if (pod is not null)
        {
            message.Append(await DescribeEventsAsync(data.Namespace, pod.Name, cancellationToken).ConfigureAwait(false));
        }

        await DeleteJobAsync(data.Namespace, data.JobName, cancellationToken).ConfigureAwait(false);
        return new CommandStatus { Phase = CommandPhase.Failed, State = data.ToState(), FailureMessage = message.ToString(), StuckReason = kind };
    }

    private async Task<string> DescribeFailureAsync(KubernetesCommandData data, JobConditions conditions, PodView? pod, CancellationToken cancellationToken)
    {
        var message = new StringBuilder($"Kubernetes Job {data.JobName} in namespace {data.Namespace} failed");
        message.Append(conditions.Reason is { } reason ? $" ({reason}{(conditions.Message is { } m ? $": {m}" : "")})." : ".");
        if (pod?.ExitCode is { } exit)
        {
            message.Append($" The container exited with code {exit}{(pod.TerminatedReason is { } why && why != "Error" ? $" ({why})" : "")}.");
        }

        if (pod is not null && pod.HasStarted)
        {
            var tail = await TailAsync(data, pod, cancellationToken).ConfigureAwait(false);
            message.Append(tail.Length == 0 ? " It wrote no output." : $" Last lines of output:\n{tail}");
        }
        else if (pod is not null)
        {
            message.Append(await DescribeEventsAsync(data.Namespace, pod.Name, cancellationToken).ConfigureAwait(false));
        }

        return message.ToString();
    }

    private async Task<string> TailAsync(KubernetesCommandData data, PodView pod, CancellationToken cancellationToken)
    {
        try
        {
            // A few more lines than shown: the output block at the end is taken out.
            var raw = await ReadLogAsync(data.Namespace, pod.Name, null, _options.FailureTailLines + 64, cancellationToken).ConfigureAwait(false);
            var lines = LogBatch.Read(raw, new LogCursor(pod.Name), data.OutputToken, final: true).NewText.TrimEnd('\n').Split('\n');
            return string.Join('\n', lines[Math.Max(0, lines.Length - _options.FailureTailLines)..]);
        }
        catch (HttpOperationException e) when (e.Code() is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            return "";
        }
    }

    private async Task<string> DescribeEventsAsync(string ns, string pod, CancellationToken cancellationToken)
    {
        Corev1EventList events;
        try
        {
            events = await _client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={pod}", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            return $" Its events could not be read: {e.Describe()}";
        }

        if (events.Items.Count == 0)
        {
            return " The pod has no events.";
        }

        var text = new StringBuilder(" Events of the pod:");
        foreach (var item in events.Items.TakeLast(MaxEvents))
        {
            var count = item.Count is > 1 and var n ? $" (x{n})" : "";
            text.Append($"\n  {item.Type} {item.Reason}{count}: {item.Message}");
        }

        return text.ToString();
    }

    private static CommandStatus Waiting(KubernetesCommandData data, CommandPhase phase, TimeSpan pollAfter) =>
        new() { Phase = phase, State = data.ToState(), PollAfter = pollAfter };

    private static CommandStatus Lost(KubernetesCommandData data) => new()
    {
        Phase = CommandPhase.Lost,
        State = data.ToState(),
        FailureMessage = $"Kubernetes Job {data.JobName} in namespace {data.Namespace} was deleted before it finished (by a person, a cleanup or its TTL); its outcome is unknown. The try must run again.",
    };

    /// <summary>A pod's log so far (not followed), each line prefixed with its RFC 3339 timestamp. A container still waiting answers 400.</summary>
    private async Task<string> ReadLogAsync(string ns, string pod, int? sinceSeconds, int? tailLines, CancellationToken cancellationToken)
    {
        var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(
            pod, ns, container: JobManifest.ContainerName, sinceSeconds: sinceSeconds, tailLines: tailLines, timestamps: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whole seconds from <paramref name="since"/> to now, with the clock-skew margin.</summary>
    private int SecondsSince(DateTimeOffset since) =>
        (int)Math.Min(int.MaxValue, Math.Ceiling((_options.Time.GetUtcNow() - since + ClockSkewAllowance).TotalSeconds));

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#}s" : $"{span.TotalMinutes:0.#} min";
}
