using System.Globalization;
using System.Text.RegularExpressions;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Output;

/// <summary>One log file of a task: one per try (<see cref="Try"/> counts from 1, as the file name does: <c>task.try1.log</c>).</summary>
public sealed record TaskLogFile(string TaskName, int Try, string Path);

/// <summary>
/// Finds every try's log of a task from its record. The record names the last try's log
/// (<c>.../+wf+task.tryN.log</c>); the other tries' logs sit beside it, named the same way.
/// </summary>
public static partial class TaskLogFiles
{
    public static IReadOnlyList<TaskLogFile> Of(string stateDirectory, TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.LogReference is not { } reference)
        {
            return [];
        }

        var last = LocalState.LogPathOf(stateDirectory, reference);
        var folder = System.IO.Path.GetDirectoryName(last)!;
        var match = TryFileName().Match(System.IO.Path.GetFileName(last));
        if (!match.Success || !Directory.Exists(folder))
        {
            return File.Exists(last) ? [new TaskLogFile(task.TaskName, task.Tries, last)] : [];
        }

        var stem = match.Groups["stem"].Value;
        return Directory.EnumerateFiles(folder, stem + ".try*.log")
            .Select(path => (Path: path, Match: TryFileName().Match(System.IO.Path.GetFileName(path))))
            .Where(f => f.Match.Success && f.Match.Groups["stem"].Value == stem)
            .Select(f => new TaskLogFile(task.TaskName, int.Parse(f.Match.Groups["try"].Value, CultureInfo.InvariantCulture), f.Path))
            .OrderBy(f => f.Try)
            .ToList();
    }

    [GeneratedRegex(@"^(?<stem>.+)\.try(?<try>\d{1,9})\.log$")]
    private static partial Regex TryFileName();
}
