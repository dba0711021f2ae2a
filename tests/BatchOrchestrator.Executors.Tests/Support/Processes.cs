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
}
