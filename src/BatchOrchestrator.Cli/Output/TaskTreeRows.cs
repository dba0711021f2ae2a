using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Output;

/// <summary>One task record placed in the task tree: its branch drawing and its name under its parent.</summary>
public sealed record TaskTreeRow(TaskRecord Record, int Depth, string Branch, string LocalName)
{
    /// <summary>The row's first column: <c>├─ +load</c>.</summary>
    public string Label => Branch + LocalName;
}

/// <summary>
/// Arranges an attempt's task records (flat full names such as <c>+wf+load+a</c> and
/// <c>+wf+load^error</c>) into a tree, keeping the order in which tasks were first recorded.
/// </summary>
public static class TaskTreeRows
{
    public static IReadOnlyList<TaskTreeRow> Build(IReadOnlyList<TaskRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var names = records.Select(r => r.TaskName).ToHashSet(StringComparer.Ordinal);
        var children = new Dictionary<string, List<TaskRecord>>(StringComparer.Ordinal);
        var roots = new List<TaskRecord>();
        var parents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (ParentOf(record.TaskName, names) is { } parent)
            {
                parents[record.TaskName] = parent;
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(record);
            }
            else
            {
                roots.Add(record);
            }
        }

        var rows = new List<TaskTreeRow>(records.Count);
        var stack = new Stack<(TaskRecord Record, string Prefix, bool Last, int Depth)>();
        for (var i = roots.Count - 1; i >= 0; i--)
        {
            stack.Push((roots[i], string.Empty, true, 0));
        }

        while (stack.Count > 0)
        {
            var (record, prefix, last, depth) = stack.Pop();
            var branch = depth == 0 ? string.Empty : prefix + (last ? "└─ " : "├─ ");
            var local = parents.TryGetValue(record.TaskName, out var parentName) ? record.TaskName[parentName.Length..] : record.TaskName;
            rows.Add(new TaskTreeRow(record, depth, branch, local));
            if (!children.TryGetValue(record.TaskName, out var own))
            {
                continue;
            }

            var childPrefix = depth == 0 ? string.Empty : prefix + (last ? "   " : "│  ");
            for (var i = own.Count - 1; i >= 0; i--)
            {
                stack.Push((own[i], childPrefix, i == own.Count - 1, depth + 1));
            }
        }

        return rows;
    }

    /// <summary>The names of the recorded tasks that have recorded children (groups).</summary>
    public static HashSet<string> GroupNames(IReadOnlyList<TaskRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var names = records.Select(r => r.TaskName).ToHashSet(StringComparer.Ordinal);
        var groups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (ParentOf(record.TaskName, names) is { } parent)
            {
                groups.Add(parent);
            }
        }

        return groups;
    }

    /// <summary>The longest recorded name that <paramref name="name"/> extends by <c>+child</c> or <c>^error</c>.</summary>
    private static string? ParentOf(string name, HashSet<string> names)
    {
        for (var i = name.Length - 1; i > 0; i--)
        {
            if (name[i] is '+' or '^' && names.Contains(name[..i]))
            {
                return name[..i];
            }
        }

        return null;
    }
}
