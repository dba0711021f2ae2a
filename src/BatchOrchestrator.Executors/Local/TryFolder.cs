using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using BatchOrchestrator.Executors.Local.Native;

namespace BatchOrchestrator.Executors.Local;

/// <summary>
/// The per-try folder (<c>$BO_TASK_DIR</c>) and the mark in it that names the try's process, in as
/// few system calls as a short command allows: made with one <c>mkdir</c> (which also tells a folder
/// left by a stopped host from a new one), marked with one <c>symlink</c> whose target is the text
/// "pid start-ticks" (no open, write, close), removed with an <c>unlink</c> per known file and a
/// <c>rmdir</c>, falling back to a recursive delete when the command left more there.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class TryFolder
{
    /// <summary>The mark: where it points is the process's identity.</summary>
    public const string ProcessMark = ".bo-process";

    private const uint OwnerOnly = 0b111_000_000;

    /// <summary>What making the folder found.</summary>
    public enum Made
    {
        /// <summary>Made afresh.</summary>
        New,

        /// <summary>It was there already: a launch of this try ran before, in a host that stopped.</summary>
        Existing,

        /// <summary>The folder above it is missing: check and make the root, then make it again.</summary>
        NoParent,
    }

    /// <summary>Makes <paramref name="directory"/> 0700, one level only.</summary>
    public static Made Make(string directory)
    {
        if (LibC.mkdir(directory, OwnerOnly) == 0)
        {
            return Made.New;
        }

        var error = Marshal.GetLastPInvokeError();
        return error switch
        {
            LibC.EEXIST => Made.Existing,
            LibC.ENOENT => Made.NoParent,
            _ => throw new IOException($"Cannot make the task folder {directory}: {Marshal.GetPInvokeErrorMessage(error)}"),
        };
    }

    /// <summary>Records which process runs the try (read by <see cref="ReadMark"/> after a restart).</summary>
    public static void Mark(string directory, ProcessIdentity identity)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{identity.Pid} {identity.StartTicks}");
        if (LibC.symlink(text, Path.Combine(directory, ProcessMark)) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot mark the task folder {directory}: {Marshal.GetPInvokeErrorMessage(error)}");
        }
    }

    /// <summary>The process a stopped host marked in the folder; null when it marked none (it stopped before the spawn).</summary>
    public static ProcessIdentity? ReadMark(string directory)
    {
        var mark = new FileInfo(Path.Combine(directory, ProcessMark));
        // A regular file is a mark written by an earlier version, which wrote the same text into it.
        var text = mark.LinkTarget ?? (mark.Exists ? File.ReadAllText(mark.FullName) : null);
        var parts = text?.Split(' ');
        return parts is [var pid, var ticks]
            && int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new ProcessIdentity(id, start)
            : null;
    }

    /// <summary>Removes the folder and what is in it; <paramref name="known"/> are the names the executor may have put there.</summary>
    public static void Delete(string directory, IEnumerable<string> known)
    {
        foreach (var name in known)
        {
            LibC.unlink(Path.Combine(directory, name));
        }

        if (LibC.rmdir(directory) == 0 || Marshal.GetLastPInvokeError() == LibC.ENOENT)
        {
            return;
        }

        // The command (or its files) left more in it.
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already cleaned up (a repeated cleanup).
        }
    }
}
