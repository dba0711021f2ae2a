namespace BatchOrchestrator.Engine.Tests.Support.Orchestration;

/// <summary>One thing an orchestration asked of its context, in the order it asked (<see cref="Sequence"/>, over all instances).</summary>
internal abstract class OrchestrationCall(long sequence, string instanceId, DateTime at)
{
    public long Sequence { get; } = sequence;

    /// <summary>The instance that made the call.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>The virtual time of the call.</summary>
    public DateTime At { get; } = at;
}

/// <summary>An activity call: its name and input (as the activity receives it, after a JSON round trip), and when it was answered.</summary>
internal sealed class ActivityCall(long sequence, string instanceId, DateTime at, string name, object? input, string? inputJson) : OrchestrationCall(sequence, instanceId, at)
{
    public string Name { get; } = name;

    /// <summary>The input as the orchestrator passed it (the same object: compare with care, it may be mutated later).</summary>
    public object? Input { get; } = input;

    /// <summary>The input as it would be stored in history.</summary>
    public string? InputJson { get; } = inputJson;

    /// <summary>When the handler answered (null while outstanding).</summary>
    public DateTime? AnsweredAt { get; internal set; }

    /// <summary>The failure the handler answered with, if any.</summary>
    public Exception? Failure { get; internal set; }

    public T InputAs<T>() => (T)Input!;

    public override string ToString() => $"#{Sequence} {At:HH:mm:ss} {InstanceId} activity {Name}";
}

internal enum TimerState
{
    Pending,
    Fired,
    Canceled,
}

/// <summary>A durable timer: when it was created, when it was asked to fire, and what came of it.</summary>
internal sealed class TimerCall(long sequence, string instanceId, DateTime at, DateTime fireAt) : OrchestrationCall(sequence, instanceId, at)
{
    public DateTime FireAt { get; } = fireAt;

    /// <summary>The delay it was created with (<see cref="FireAt"/> minus the time of the call).</summary>
    public TimeSpan Delay => FireAt - At;

    public TimerState State { get; internal set; }

    /// <summary>The virtual time it fired at (it fires exactly at <see cref="FireAt"/>, or at once if that had passed).</summary>
    public DateTime? FiredAt { get; internal set; }

    internal TaskCompletionSource Completion { get; } = new();

    public override string ToString() => $"#{Sequence} {At:HH:mm:ss} {InstanceId} timer +{Delay} → {FireAt:HH:mm:ss} {State}";
}

/// <summary>A sub-orchestration started inline.</summary>
internal sealed class SubOrchestrationCall(long sequence, string instanceId, DateTime at, string name, string childInstanceId, string? inputJson) : OrchestrationCall(sequence, instanceId, at)
{
    public string Name { get; } = name;

    public string ChildInstanceId { get; } = childInstanceId;

    public string? InputJson { get; } = inputJson;

    public override string ToString() => $"#{Sequence} {At:HH:mm:ss} {InstanceId} sub-orchestration {Name} {ChildInstanceId}";
}
