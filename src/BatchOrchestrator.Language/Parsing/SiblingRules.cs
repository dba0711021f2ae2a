using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;

namespace BatchOrchestrator.Language.Parsing;

/// <summary>Rules between the children of one group: _background, _after and its cycles.</summary>
internal static class SiblingRules
{
    public static void Check(TaskDefinition group, IReadOnlyList<TaskDefinition> children, DiagnosticBag diagnostics)
    {
        var parallel = group.Parallel;
        var staticallyParallel = parallel is { Enabled: true, Template: null };
        var staticallySequential = parallel is null || parallel is { Enabled: false, Template: null };
        var names = children.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var child in children)
        {
            if (child.Background && staticallyParallel)
            {
                var at = child.Config.Find("_background")?.Key.Location ?? child.Location;
                diagnostics.Error(at, $"Setting \"_background: true\" option is invalid (unnecessary) if its parent task has \"_parallel: true\" option ({child.Name} under {group.Name})");
            }

            if (child.After.Count == 0)
            {
                continue;
            }

            if (staticallySequential)
            {
                var at = child.Config.Find("_after")?.Key.Location ?? child.Location;
                diagnostics.Error(at, $"Setting \"_after\" option is invalid if its parent task doesn't have \"_parallel: true\" option (add _parallel: true to {group.Name})");
            }

            foreach (var reference in child.After)
            {
                if (reference.Name == child.Name)
                {
                    diagnostics.Error(reference.Location, $"_after: {child.Name} can't wait for itself");
                }
                else if (!names.Contains(reference.Name))
                {
                    diagnostics.Error(reference.Location, $"_after: '{reference.Name}' is not a sibling of {child.Name}{Hint(reference.Name, child.Name, children)}");
                }
            }
        }

        ReportCycle(children, diagnostics);
    }

    /// <summary>Past this many siblings the hint names a few and counts the rest: a big group must not make every error huge and slow.</summary>
    private const int ListedSiblings = 10;

    private static string Hint(string name, string self, IReadOnlyList<TaskDefinition> children)
    {
        // Only a bounded part of the group is read per error, so many errors in a huge group stay linear.
        var siblings = children.Select(c => c.Name).Where(n => n != self);
        var count = children.Count - 1;
        var suggestion = count <= 1000 ? Suggestions.DidYouMean(name, siblings) : string.Empty;
        var listed = string.Join(", ", siblings.Take(ListedSiblings));
        var more = count > ListedSiblings ? $", … and {count - ListedSiblings:N0} more" : string.Empty;
        return $"{suggestion} (siblings: {listed}{more})";
    }

    private static void ReportCycle(IReadOnlyList<TaskDefinition> children, DiagnosticBag diagnostics)
    {
        var byName = children.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
        foreach (var start in children.Where(c => c.After.Count > 0))
        {
            if (state.ContainsKey(start.Name))
            {
                continue;
            }

            // Iterative DFS: a path of task names and, for each, the index of the next edge to follow.
            var path = new List<(TaskDefinition Task, int Next)> { (start, 0) };
            state[start.Name] = 1;
            while (path.Count > 0)
            {
                var (task, next) = path[^1];
                if (next >= task.After.Count)
                {
                    state[task.Name] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }

                path[^1] = (task, next + 1);
                var reference = task.After[next];
                if (!byName.TryGetValue(reference.Name, out var upstream) || upstream == task)
                {
                    continue;
                }

                var upstreamState = state.GetValueOrDefault(upstream.Name);
                if (upstreamState == 1)
                {
                    var cycle = path.SkipWhile(p => p.Task != upstream).Select(p => p.Task.Name).Append(upstream.Name);
                    diagnostics.Error(reference.Location, $"_after makes a cycle: {string.Join(" waits for ", cycle)}");
                    return;
                }

                if (upstreamState == 0)
                {
                    state[upstream.Name] = 1;
                    path.Add((upstream, 0));
                }
            }
        }
    }
}
