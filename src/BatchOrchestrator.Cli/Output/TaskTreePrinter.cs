using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Cli.Output;

/// <summary>Draws a task plan as an indented tree: what the workflow will do, in order.</summary>
public static class TaskTreePrinter
{
    public static void Print(TaskPlan plan, TextWriter output, string indent)
    {
        var stack = new Stack<(PlannedTask Task, string Prefix, bool Last, bool IsRoot)>();
        stack.Push((plan.Root, indent, true, true));
        while (stack.Count > 0)
        {
            var (task, prefix, last, isRoot) = stack.Pop();
            var branch = isRoot ? string.Empty : last ? "└─ " : "├─ ";
            output.WriteLine($"{prefix}{branch}{task.LocalName}{Describe(task, plan)}");
            var childPrefix = isRoot ? prefix : prefix + (last ? "   " : "│  ");
            var children = task.ChildIndexes.Select(i => plan[i]).ToList();
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push((children[i], childPrefix, i == children.Count - 1, false));
            }
        }
    }

    private static string Describe(PlannedTask task, TaskPlan plan)
    {
        var parts = new List<string>();
        if (task.Operator is { } op)
        {
            var command = op.Command?.ToString() ?? string.Empty;
            command = command.ReplaceLineEndings(" ").Trim();
            parts.Add(command.Length == 0 ? $"{op.Name}>" : $"{op.Name}> {Shorten(command)}");
        }

        if (task.Parallel is { Enabled: true } parallel)
        {
            parts.Add(parallel.Template is not null ? $"parallel: {parallel.Template}" : parallel.Limit is { } limit ? $"parallel (limit {limit})" : "parallel");
        }

        if (task.Background)
        {
            parts.Add("background");
        }

        if (task.AfterIndexes.Count > 0)
        {
            parts.Add("after " + string.Join(", ", task.AfterIndexes.Select(i => plan[i].LocalName)));
        }

        if (task.Retry is { } retry)
        {
            parts.Add(retry.LimitTemplate is not null ? $"retry {retry.LimitTemplate}" : $"retry {retry.Limit}");
        }

        if (task.Disabled)
        {
            parts.Add("disabled");
        }

        return parts.Count == 0 ? string.Empty : "  " + string.Join(" · ", parts);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
