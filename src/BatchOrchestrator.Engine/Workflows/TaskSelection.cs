using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// Which tasks of the workflow's plan an attempt runs, as <c>digdag run</c> chooses them:
/// only one task (<c>+task</c>), from a task to the end (<c>--start</c>), or up to a task
/// (<c>--goal</c>). Ancestors of the chosen tasks run as groups; the other tasks are recorded as
/// skipped (not succeeded), so a later attempt of the session runs them. Subtasks generated at run
/// time always run whole. On a session that ran before, the chosen tasks run again even if they
/// succeeded (<see cref="ResolvedSelection.Forces"/>), as <c>digdag run --start/--goal</c> do; the
/// others are reused when they succeeded.
/// </summary>
/// <param name="Only">The full name of the one task (with its children) to run.</param>
/// <param name="Start">The full name of the first task to run, in file order.</param>
/// <param name="Goal">The full name of the last task to run, in file order.</param>
public sealed record TaskSelection(string? Only = null, string? Start = null, string? Goal = null)
{
    public bool IsEmpty => Only is null && Start is null && Goal is null;

    /// <summary>The selection with its tasks found in the plan, to ask about many tasks cheaply.</summary>
    /// <exception cref="Language.Diagnostics.WorkflowLanguageException">A named task is not in the plan.</exception>
    public ResolvedSelection Resolve(TaskPlan plan) => new(
        Only is null ? null : Find(plan, Only),
        Start is null ? null : Find(plan, Start),
        Goal is null ? null : Find(plan, Goal),
        Goal is null ? null : LastIndexUnder(plan, Find(plan, Goal)));

    /// <summary>
    /// The records of an earlier attempt that this one may reuse: all but those of the tasks the
    /// selection chooses to run again, generated subtasks going with the task that made them.
    /// </summary>
    public static IReadOnlyDictionary<string, TResult> WithoutForced<TResult>(
        IReadOnlyDictionary<string, TResult> reusable, TaskPlan plan, TaskSelection? selection)
    {
        if (selection is null || selection.IsEmpty || reusable.Count == 0)
        {
            return reusable;
        }

        var resolved = selection.Resolve(plan);
        return reusable
            .Where(pair => !(PlannedAncestorOrSelf(plan, pair.Key) is { } task && resolved.Forces(task)))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
    }

    /// <summary>The task of the plan with this name, or the nearest one above it (for a generated subtask).</summary>
    private static PlannedTask? PlannedAncestorOrSelf(TaskPlan plan, string name)
    {
        for (var end = name.Length; end > 0; end = name.LastIndexOfAny(['+', '^'], end - 1))
        {
            if (plan.Find(name[..end]) is { } task)
            {
                return task;
            }
        }

        return null;
    }

    /// <summary>A selection resolved against one plan.</summary>
    public sealed record ResolvedSelection(PlannedTask? Only, PlannedTask? Start, PlannedTask? Goal, int? LastIndex)
    {
        /// <summary>
        /// True when the task runs even if it succeeded before: the chosen task (<c>+task</c>,
        /// <c>--goal</c>) with its children, or the start task and every task after it
        /// (<c>--start</c>); and their ancestors, which run as groups so that a child can run.
        /// </summary>
        public bool Forces(PlannedTask task) =>
            (Only is null || Related(Only, task))
            && (Start is null || task.Index >= Start.Index || IsAncestor(task, Start))
            && (Goal is null || Related(Goal, task));

        /// <summary>True when the task is not run (it is outside the selection and not an ancestor of it).</summary>
        public bool Skips(PlannedTask task) =>
            (Only is not null && !Related(Only, task))
            || (Start is not null && task.Index < Start.Index && !IsAncestor(task, Start))
            || (LastIndex is { } last && task.Index > last);
    }

    private static bool Related(PlannedTask chosen, PlannedTask task) =>
        task.FullName == chosen.FullName || IsAncestor(task, chosen) || IsAncestor(chosen, task);

    /// <summary>Full names nest: <c>+wf+g</c> is an ancestor of <c>+wf+g+t</c> and of <c>+wf+g^error</c>.</summary>
    private static bool IsAncestor(PlannedTask ancestor, PlannedTask task) =>
        task.FullName.Length > ancestor.FullName.Length
        && task.FullName.StartsWith(ancestor.FullName, StringComparison.Ordinal)
        && task.FullName[ancestor.FullName.Length] is '+' or '^';

    private static int LastIndexUnder(TaskPlan plan, PlannedTask task)
    {
        var last = task.Index;
        while (last + 1 < plan.Tasks.Count && IsAncestor(task, plan[last + 1]))
        {
            last++;
        }

        return last;
    }

    /// <summary>The task by full name, or the one task whose name ends with the given part (<c>+c</c> for <c>+wf+g+c</c>).</summary>
    private static PlannedTask Find(TaskPlan plan, string name)
    {
        if (plan.Find(name) is { } exact)
        {
            return exact;
        }

        var root = plan.Root.FullName;
        var tail = name.StartsWith(root + "+", StringComparison.Ordinal) ? name[root.Length..] : name;
        var matches = plan.Tasks.Where(t => t.FullName.EndsWith(tail, StringComparison.Ordinal) && t.FullName[..^tail.Length].Length > 0).Take(2).ToList();
        if (matches.Count == 1)
        {
            return matches[0];
        }

        var reason = matches.Count > 1 ? $"; several tasks end with {tail}, give the full name" : Language.Diagnostics.Suggestions.DidYouMean(name, plan.Tasks.Select(t => t.FullName));
        throw new Language.Diagnostics.WorkflowLanguageException(Language.Diagnostics.SourceLocation.None, $"task '{name}' is not in workflow {plan.WorkflowName}{reason}");
    }
}
