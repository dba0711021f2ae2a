using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Language.Compilation;

/// <summary>What a planned task is: a group of children, an operator, or a generated handler.</summary>
public enum PlannedTaskKind
{
    Group,
    Operator,
}

/// <summary>Why a generated task exists: a plain task, the <c>^error</c> or <c>^check</c> of its parent, or an SLA's tasks.</summary>
public enum PlannedTaskRole
{
    Normal,
    Error,
    Check,
    Sla,
}

/// <summary>
/// One task of a compiled workflow, with Digdag's full name (<c>+wf+group+task</c>,
/// <c>+wf+task^error</c>). Indexes refer to <see cref="TaskPlan.Tasks"/>; upstreams are the
/// siblings this task waits for (from sequence, <c>_background</c> and <c>_after</c>).
/// </summary>
public sealed record PlannedTask
{
    public required int Index { get; init; }

    public required string FullName { get; init; }

    /// <summary>The last name segment as written (<c>+load</c>, <c>^error</c>).</summary>
    public required string LocalName { get; init; }

    public int? ParentIndex { get; init; }

    public IReadOnlyList<int> ChildIndexes { get; init; } = [];

    /// <summary>
    /// Siblings this task waits for when its parent's <c>_parallel</c> is a static value. When the
    /// parent's <c>_parallel</c> is a template, these are the sequential edges and the interpreter
    /// uses <see cref="AfterIndexes"/> instead if the template turns out true.
    /// </summary>
    public IReadOnlyList<int> UpstreamIndexes { get; init; } = [];

    /// <summary>The siblings named in this task's <c>_after</c>.</summary>
    public IReadOnlyList<int> AfterIndexes { get; init; } = [];

    public required PlannedTaskKind Kind { get; init; }

    public PlannedTaskRole Role { get; init; }

    /// <summary>The <c>^error</c> task run when this one fails.</summary>
    public int? ErrorTaskIndex { get; init; }

    /// <summary>The <c>^check</c> task run after this one succeeds.</summary>
    public int? CheckTaskIndex { get; init; }

    public OperatorCall? Operator { get; init; }

    /// <summary>For a group: whether children run in parallel, and the sliding-window limit.</summary>
    public ParallelSetting Parallel { get; init; } = ParallelSetting.Off;

    public bool Background { get; init; }

    public RetrySetting? Retry { get; init; }

    public bool Disabled { get; init; }

    /// <summary>The task's own keys, raw (templates are evaluated when it runs).</summary>
    public required MappingNode Config { get; init; }

    public required SourceLocation Location { get; init; }

    public bool IsGroup => Kind == PlannedTaskKind.Group;
}

/// <summary>
/// A compiled workflow: a flat, pre-ordered list of tasks (the root first) that the interpreter
/// walks. Generated <c>^error</c>/<c>^check</c> tasks are children of the task they belong to and
/// are not part of its normal children order.
/// </summary>
public sealed record TaskPlan(string WorkflowName, IReadOnlyList<PlannedTask> Tasks)
{
    public PlannedTask Root => Tasks[0];

    public PlannedTask this[int index] => Tasks[index];

    /// <summary>The task with this full name, or null.</summary>
    public PlannedTask? Find(string fullName) => Tasks.FirstOrDefault(t => t.FullName == fullName);

    /// <summary>Children in file order, without the generated ^error/^check tasks.</summary>
    public IEnumerable<PlannedTask> NormalChildren(PlannedTask task) =>
        task.ChildIndexes.Select(i => Tasks[i]).Where(t => t.Role == PlannedTaskRole.Normal);
}
