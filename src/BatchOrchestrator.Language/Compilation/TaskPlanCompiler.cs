using BatchOrchestrator.Language.Model;

namespace BatchOrchestrator.Language.Compilation;

/// <summary>
/// Compiles a validated task tree into a <see cref="TaskPlan"/>, Digdag's way: full names, upstream
/// edges between siblings, generated <c>^error</c>/<c>^check</c> tasks. Sequential groups chain
/// their children; a <c>_background</c> child waits only for what the previous child waited for,
/// and the next child waits for both; a parallel group's children wait only for their <c>_after</c>.
/// Iterative, so a deep tree cannot overflow the stack.
/// </summary>
public static class TaskPlanCompiler
{
    public static TaskPlan Compile(WorkflowDefinition workflow)
    {
        var plan = CompileTree(workflow.Root, "+" + workflow.Name, workflow.Name);
        if (workflow.Sla?.Tasks is not { } slaTasks)
        {
            return plan;
        }

        // SLA tasks live under the root as ^sla, run by the SLA timer, never as a normal child.
        var builder = new Builder(plan.Tasks.ToList());
        builder.Add(slaTasks, plan.Root.FullName + "^sla", parentIndex: 0, PlannedTaskRole.Sla);
        return new TaskPlan(workflow.Name, builder.Build());
    }

    /// <summary>Compiles a subtree under a given full name: used for dynamic subtasks (<c>^sub</c>) at run time.</summary>
    public static TaskPlan CompileTree(TaskDefinition root, string fullName, string workflowName)
    {
        var builder = new Builder([]);
        builder.Add(root, fullName, parentIndex: null, PlannedTaskRole.Normal);
        return new TaskPlan(workflowName, builder.Build());
    }

    private sealed class Builder
    {
        private readonly List<PlannedTask> _tasks;

        // Kept apart from the records while building: appending to an immutable list per child would
        // be quadratic, and copying a record once per edge kind tripled the allocations of a compile.
        private readonly List<List<int>> _children;
        private readonly List<IReadOnlyList<int>> _afters;
        private readonly List<IReadOnlyList<int>> _upstreams;

        public Builder(List<PlannedTask> existing)
        {
            _tasks = existing;
            _children = existing.Select(t => t.ChildIndexes.ToList()).ToList();
            _afters = existing.Select(t => t.AfterIndexes).ToList();
            _upstreams = existing.Select(t => t.UpstreamIndexes).ToList();
        }

        public IReadOnlyList<PlannedTask> Build()
        {
            for (var i = 0; i < _tasks.Count; i++)
            {
                _tasks[i] = _tasks[i] with { ChildIndexes = _children[i], AfterIndexes = _afters[i], UpstreamIndexes = _upstreams[i] };
            }

            return _tasks;
        }

        public int Add(TaskDefinition definition, string fullName, int? parentIndex, PlannedTaskRole role)
        {
            var rootIndex = -1;
            var work = new Stack<(TaskDefinition Definition, string FullName, int? Parent, PlannedTaskRole Role)>();
            work.Push((definition, fullName, parentIndex, role));
            var pendingEdges = new List<(int Group, TaskDefinition Definition)>();
            while (work.Count > 0)
            {
                var (task, name, parent, taskRole) = work.Pop();
                var index = _tasks.Count;
                rootIndex = rootIndex < 0 ? index : rootIndex;
                _tasks.Add(new PlannedTask
                {
                    Index = index,
                    FullName = name,
                    LocalName = taskRole switch
                    {
                        PlannedTaskRole.Error => "^error",
                        PlannedTaskRole.Check => "^check",
                        PlannedTaskRole.Sla => "^sla",
                        _ => task.Name,
                    },
                    ParentIndex = parent,
                    Kind = task.IsGroup ? PlannedTaskKind.Group : PlannedTaskKind.Operator,
                    Role = taskRole,
                    Operator = task.Operator,
                    Parallel = task.Parallel ?? ParallelSetting.Off,
                    Background = task.Background,
                    Retry = task.Retry,
                    Disabled = task.Disabled,
                    Config = task.Config,
                    Location = task.Location,
                });
                _children.Add([]);
                _afters.Add([]);
                _upstreams.Add([]);
                if (parent is { } p)
                {
                    _children[p].Add(index);
                    if (taskRole == PlannedTaskRole.Error)
                    {
                        _tasks[p] = _tasks[p] with { ErrorTaskIndex = index };
                    }
                    else if (taskRole == PlannedTaskRole.Check)
                    {
                        _tasks[p] = _tasks[p] with { CheckTaskIndex = index };
                    }
                }

                // Pushed in reverse so children come out in file order (pre-order numbering).
                if (task.CheckTask is { } check)
                {
                    work.Push((check, name + "^check", index, PlannedTaskRole.Check));
                }

                if (task.ErrorTask is { } error)
                {
                    work.Push((error, name + "^error", index, PlannedTaskRole.Error));
                }

                for (var i = task.Children.Count - 1; i >= 0; i--)
                {
                    work.Push((task.Children[i], name + task.Children[i].Name, index, PlannedTaskRole.Normal));
                }

                if (task.Children.Count > 0)
                {
                    pendingEdges.Add((index, task));
                }
            }

            foreach (var (group, task) in pendingEdges)
            {
                AddSiblingEdges(group, task);
            }

            return rootIndex;
        }

        private void AddSiblingEdges(int groupIndex, TaskDefinition group)
        {
            var normal = _children[groupIndex].Where(i => _tasks[i].Role == PlannedTaskRole.Normal).ToList();
            Dictionary<string, int>? byName = null;
            for (var c = 0; c < normal.Count; c++)
            {
                if (group.Children[c].After.Count == 0)
                {
                    continue;
                }

                byName ??= normal.ToDictionary(i => _tasks[i].LocalName, StringComparer.Ordinal);
                _afters[normal[c]] = group.Children[c].After
                    .Select(r => byName.TryGetValue(r.Name, out var up) ? up : -1)
                    .Where(up => up >= 0 && up != normal[c])
                    .Distinct()
                    .ToList();
            }

            if (group.Parallel is { Enabled: true, Template: null })
            {
                foreach (var child in normal)
                {
                    _upstreams[child] = _afters[child];
                }

                return;
            }

            // frontier: what the next normal child waits for; previousUpstreams: what the last normal
            // child waited for. Background children in a row wait for the same tasks and share one
            // array: k of them after a frontier of k used to cost k² edges (a 2 MB file, 5 GB).
            var frontier = new List<int>();
            int[] previousUpstreams = [];
            foreach (var child in normal)
            {
                if (_tasks[child].Background)
                {
                    _upstreams[child] = previousUpstreams;
                    frontier.Add(child);
                }
                else
                {
                    previousUpstreams = [.. frontier];
                    _upstreams[child] = previousUpstreams;
                    frontier = [child];
                }
            }
        }
    }
}
