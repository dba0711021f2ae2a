using System.Globalization;

namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>
/// A pid plus its start time in clock ticks since boot (<c>/proc/PID/stat</c>, field 22): pids are
/// reused, the pair is not, so a state saved before a restart can tell its process from a stranger.
/// </summary>
internal readonly record struct ProcessIdentity(int Pid, long StartTicks)
{
    /// <summary>The identity of a live (or zombie) process, or null when there is no such process.</summary>
    public static ProcessIdentity? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name (field 2) may hold spaces and parentheses; fields after it do not.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new ProcessIdentity(pid, ticks)
            : null;
    }

    /// <summary>True while this very process still exists and has not finished (a zombie counts as finished).</summary>
    public bool IsRunning()
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{Pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19
            && fields[0] is not ("Z" or "X")
            && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks == StartTicks;
    }
}
