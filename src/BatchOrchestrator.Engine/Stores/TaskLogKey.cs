using System.Buffers;
using System.Text;

namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Names one task try's log, with a predictable layout
/// (<c>project/workflow/session/attempt/task.tryN.log</c>) so a person can find a log in a
/// folder or a Blob container without the database. <see cref="Try"/> is the try as every view
/// shows it, from 1: <c>task.try1.log</c> is the first try's log.
/// </summary>
public sealed record TaskLogKey(string Project, string Workflow, string SessionTime, string Attempt, string TaskName, int Try)
{
    /// <summary>The relative path of the log; task names are made file-safe (<c>+wf+load^error</c> → <c>+wf+load^error</c>, '/' → '_').</summary>
    [System.Text.Json.Serialization.JsonIgnore] // derived from the key: carrying it would double every log line's size in activity inputs
    public string RelativePath =>
        string.Join('/', Safe(Project), Safe(Workflow), Safe(SessionTime), Safe(Attempt), $"{Safe(TaskName)}.try{Try}.log");

    /// <summary>
    /// The key behind a <see cref="TaskRecord.LogReference"/> (a <see cref="RelativePath"/>), or null
    /// when the text is not one. Its parts are already file-safe, so the key names the same log.
    /// </summary>
    public static TaskLogKey? FromReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var parts = reference.Split('/');
        if (parts.Length != 5 || parts.Any(p => p.Length == 0 || Safe(p) != p))
        {
            return null;
        }

        var file = parts[4];
        var marker = file.LastIndexOf(".try", StringComparison.Ordinal);
        if (marker <= 0 || !file.EndsWith(".log", StringComparison.Ordinal)
            || !int.TryParse(file.AsSpan(marker + 4, file.Length - marker - 8), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var tryNumber))
        {
            return null;
        }

        return new TaskLogKey(parts[0], parts[1], parts[2], parts[3], file[..marker], tryNumber);
    }

    private static readonly SearchValues<char> SafeChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+^-_.");

    private static string Safe(string part)
    {
        // Names are nearly always safe already: the path of every task's log is built from them.
        if (part.Length > 0 && part is not ("." or "..") && !part.AsSpan().ContainsAnyExcept(SafeChars))
        {
            return part;
        }

        var builder = new StringBuilder(part.Length);
        foreach (var c in part)
        {
            builder.Append(SafeChars.Contains(c) ? c : '_');
        }

        return builder.Length == 0 || builder.ToString() is "." or ".." ? "_" : builder.ToString();
    }
}
