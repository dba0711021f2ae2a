using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Language.Model;

/// <summary>
/// One <c>+task</c> of a workflow as written: its operator or children and its control keys,
/// each already checked for type. <see cref="Config"/> keeps the raw keys (minus children) because
/// templates in them are evaluated only when the task runs.
/// </summary>
public sealed record TaskDefinition
{
    /// <summary>The key as written, with its <c>+</c> (<c>+load</c>); the root is <c>+workflow</c>.</summary>
    public required string Name { get; init; }

    public required SourceLocation Location { get; init; }

    /// <summary>The operator, or null for a group.</summary>
    public OperatorCall? Operator { get; init; }

    public IReadOnlyList<TaskDefinition> Children { get; init; } = [];

    public ParallelSetting? Parallel { get; init; }

    public bool Background { get; init; }

    public IReadOnlyList<TaskReference> After { get; init; } = [];

    public RetrySetting? Retry { get; init; }

    /// <summary>Runs when this task fails (<c>_error</c>).</summary>
    public TaskDefinition? ErrorTask { get; init; }

    /// <summary>Runs after this task succeeds (<c>_check</c>).</summary>
    public TaskDefinition? CheckTask { get; init; }

    /// <summary><c>_do</c> of if>/loop>/for_each>/for_range>: run as dynamic subtasks, never evaluated before the operator runs.</summary>
    public TaskDefinition? DoBody { get; init; }

    public TaskDefinition? ElseDoBody { get; init; }

    /// <summary><c>_export</c>, raw: its templates are evaluated lazily, in each task that uses it.</summary>
    public MappingNode? Export { get; init; }

    public MappingNode? Env { get; init; }

    public ConfigNode? Secrets { get; init; }

    public bool Disabled { get; init; }

    /// <summary>Plain keys: local params of the task (and options of its operator).</summary>
    public IReadOnlyList<ConfigEntry> LocalParams { get; init; } = [];

    /// <summary>Every key of the task except its <c>+children</c>, as written.</summary>
    public required MappingNode Config { get; init; }

    public bool IsGroup => Operator is null;
}

/// <summary>The operator of a task: <c>sh>: echo hi</c> is name <c>sh</c> with command <c>echo hi</c>.</summary>
public sealed record OperatorCall(string Name, ConfigNode? Command, SourceLocation Location);

/// <summary>A sibling named in <c>_after</c>.</summary>
public sealed record TaskReference(string Name, SourceLocation Location);

/// <summary>
/// <c>_parallel</c>: on/off with an optional window <see cref="Limit"/>, or a template
/// (<c>_parallel: ${parallel}</c>) decided when the group runs.
/// </summary>
public sealed record ParallelSetting(bool Enabled, int? Limit, string? Template)
{
    public static ParallelSetting Off { get; } = new(false, null, null);
}

public enum RetryIntervalType
{
    Constant,
    Exponential,
}

/// <summary>
/// <c>_retry</c>: how many times to re-run a failed task (a group re-runs whole) and how long to
/// wait between tries; exponential waits are interval·2^n, capped by <see cref="MaxInterval"/>.
/// <see cref="LimitTemplate"/> holds <c>_retry: ${n}</c>, decided when the task runs.
/// </summary>
public sealed record RetrySetting(
    int Limit,
    TimeSpan Interval,
    RetryIntervalType IntervalType,
    TimeSpan? MaxInterval,
    string? LimitTemplate = null)
{
    /// <summary>The wait before retry number <paramref name="retryIndex"/> (0 for the first retry).</summary>
    public TimeSpan WaitBefore(int retryIndex)
    {
        if (IntervalType == RetryIntervalType.Constant)
        {
            return Interval;
        }

        var seconds = Interval.TotalSeconds * Math.Pow(2, Math.Min(retryIndex, 62));
        var wait = double.IsFinite(seconds) && seconds < TimeSpan.MaxValue.TotalSeconds / 2
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.MaxValue;
        return MaxInterval is { } max && wait > max ? max : wait;
    }
}
