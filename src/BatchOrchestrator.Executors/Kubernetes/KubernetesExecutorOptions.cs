namespace BatchOrchestrator.Executors.Kubernetes;

/// <summary>Settings of <see cref="KubernetesCommandExecutor"/>, from the host's configuration (never from workflow files).</summary>
public sealed record KubernetesExecutorOptions
{
    /// <summary>Where Jobs go unless a task's <c>container.namespace</c> says otherwise.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>The durable wait between two polls (the orchestrator's timer, not a blocked activity).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one poll watches the Job for it to finish before answering "running" (bounded: a poll is one short activity).</summary>
    public TimeSpan WatchWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A pod that cannot start (image pull error, missing Secret, unschedulable) fails the task after this long.</summary>
    public TimeSpan StuckTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>A pod Pending for any other reason (a slow cluster autoscaler) fails the task after this long.</summary>
    public TimeSpan PendingTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// <c>ttlSecondsAfterFinished</c>: the cluster removes a finished Job the engine never cleaned
    /// up (a host that went away). Long enough for the engine to read the last logs first.
    /// </summary>
    public TimeSpan TtlAfterFinished { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How many last lines of the pod's log a failure message carries.</summary>
    public int FailureTailLines { get; init; } = 20;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
