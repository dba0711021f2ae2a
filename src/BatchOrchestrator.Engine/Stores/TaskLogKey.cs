using System.Text;

namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Names one task try's log, with a predictable layout
/// (<c>project/workflow/session/attempt/task.tryN.log</c>) so a person can find a log in a
/// folder or a Blob container without the database.
/// </summary>
public sealed record TaskLogKey(string Project, string Workflow, string SessionTime, string Attempt, string TaskName, int Try)
{
    /// <summary>The relative path of the log; task names are made file-safe (<c>+wf+load^error</c> → <c>+wf+load^error</c>, '/' → '_').</summary>
    public string RelativePath =>
        string.Join('/', Safe(Project), Safe(Workflow), Safe(SessionTime), Safe(Attempt), $"{Safe(TaskName)}.try{Try}.log");

    private static string Safe(string part)
    {
        var builder = new StringBuilder(part.Length);
        foreach (var c in part)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '+' or '^' or '-' or '_' or '.' ? c : '_');
        }

        return builder.Length == 0 || builder.ToString() is "." or ".." ? "_" : builder.ToString();
    }
}
