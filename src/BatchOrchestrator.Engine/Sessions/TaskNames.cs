using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>Finds a task of an attempt by its full name (<c>+wf+load+a</c>) or by its end (<c>+a</c>, <c>+load+a</c>).</summary>
public static class TaskNames
{
    /// <exception cref="AttemptRequestException">No task, or more than one, has that name.</exception>
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
            0 => throw new AttemptRequestException($"the attempt has no task '{given}' (its tasks: {string.Join(", ", tasks.Select(t => t.TaskName).Take(20))})", AttemptRequestProblem.BadValue),
            _ => throw new AttemptRequestException($"'{given}' matches several tasks ({string.Join(", ", matches)}); give the full name", AttemptRequestProblem.BadValue),
        };
    }

    /// <summary>The task and everything under it (<c>+name+...</c>, <c>+name^error</c>).</summary>
    public static bool IsWithin(string taskName, string anchor)
    {
        ArgumentNullException.ThrowIfNull(taskName);
        ArgumentNullException.ThrowIfNull(anchor);
        return taskName == anchor
            || (taskName.Length > anchor.Length && taskName.StartsWith(anchor, StringComparison.Ordinal) && taskName[anchor.Length] is '+' or '^');
    }

    /// <summary>The task's parent among <paramref name="names"/>: the longest other name it lies within; null for the root.</summary>
    public static string? ParentOf(string taskName, IReadOnlySet<string> names)
    {
        ArgumentNullException.ThrowIfNull(taskName);
        ArgumentNullException.ThrowIfNull(names);
        for (var end = taskName.Length - 1; end > 0; end--)
        {
            if (taskName[end] is '+' or '^' && names.Contains(taskName[..end]))
            {
                return taskName[..end];
            }
        }

        return null;
    }
}
