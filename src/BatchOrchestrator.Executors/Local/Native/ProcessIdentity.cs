using System.Globalization;
using System.Text;

namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>
/// A pid plus its start time in clock ticks since boot (<c>/proc/PID/stat</c>, field 22): pids are
/// reused, the pair is not, so a state saved before a restart can tell its process from a stranger.
/// </summary>
internal readonly record struct ProcessIdentity(int Pid, long StartTicks)
{
    /// <summary>The identity of a live (or zombie) process, or null when there is no such process.</summary>
    public static ProcessIdentity? Read(int pid) =>
        Stat(pid) is { } stat && stat.Length > 19 && long.TryParse(stat[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new ProcessIdentity(pid, ticks)
            : null;

    /// <summary>True while this very process still exists and has not finished (a zombie counts as finished).</summary>
    public bool IsRunning() =>
        Stat(Pid) is { } stat
        && stat.Length > 19
        && stat[0] is not ("Z" or "X")
        && long.TryParse(stat[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
        && ticks == StartTicks;

    /// <summary>
    /// The fields of <c>/proc/PID/stat</c> after the command name (state first), or null when there
    /// is no such process. One read into a stack buffer: it runs for every launched command, so it
    /// is open, read and close, without the fstat and the advisory lock and unlock a .NET file handle adds.
    /// </summary>
    private static unsafe string[]? Stat(int pid)
    {
        Span<byte> buffer = stackalloc byte[1024];
        var fd = LibC.open($"/proc/{pid}/stat", LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            return null;
        }

        nint length;
        fixed (byte* start = buffer)
        {
            length = LibC.read(fd, start, buffer.Length);
        }

        LibC.close(fd);
        if (length <= 0)
        {
            return null;
        }

        // The command name (field 2) may hold spaces and parentheses; fields after it do not.
        var stat = Encoding.UTF8.GetString(buffer[..(int)length]);
        var end = stat.LastIndexOf(')');
        return end < 0 || end + 2 > stat.Length ? null : stat[(end + 2)..].Split(' ');
    }
}
