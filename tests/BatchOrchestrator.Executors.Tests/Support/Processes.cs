namespace BatchOrchestrator.Executors.Tests.Support;

/// <summary>What /proc says about a process.</summary>
internal static class Processes
{
    /// <summary>True when the pid has no live process (gone, or a zombie nobody reaped yet).</summary>
    public static bool IsDead(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is "Z" or "X";
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>True when the process sleeps in one of the named kernel functions (<c>/proc/PID/wchan</c>; names vary with the kernel's version).</summary>
    public static bool WaitsIn(int pid, params string[] kernelFunctions)
    {
        try
        {
            return kernelFunctions.Contains(File.ReadAllText($"/proc/{pid}/wchan"));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The pids of a process's children (none once it is gone).</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid)
    {
        try
        {
            return [.. File.ReadAllText($"/proc/{pid}/task/{pid}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(child => int.Parse(child, System.Globalization.CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return [];
        }
    }
}
