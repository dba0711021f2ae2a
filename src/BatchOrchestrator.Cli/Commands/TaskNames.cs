using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>Finds a task of an attempt by its full name (<c>+wf+load+a</c>) or by its end (<c>+a</c>, <c>+load+a</c>).</summary>
public static class TaskNames
{
    public static string Resolve(IReadOnlyList<TaskRecord> tasks, string given)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(given);
        var name = given.StartsWith('+') || given.StartsWith('^') ? given : "+" + given;
        if (tasks.Any(t => t.TaskName == name))
        {
            return name;
        }

        var matches = tasks.Where(t => t.TaskName.EndsWith(name, StringComparison.Ordinal)).Select(t => t.TaskName).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new UserError($"the attempt has no task '{given}' (its tasks: {string.Join(", ", tasks.Select(t => t.TaskName).Take(20))})"),
            _ => throw new UserError($"'{given}' matches several tasks ({string.Join(", ", matches)}); give the full name"),
        };
    }

    /// <summary>The task and everything under it (<c>+name+...</c>, <c>+name^error</c>).</summary>
    public static bool IsWithin(string taskName, string anchor) =>
        taskName == anchor
        || (taskName.Length > anchor.Length && taskName.StartsWith(anchor, StringComparison.Ordinal) && taskName[anchor.Length] is '+' or '^');
}
