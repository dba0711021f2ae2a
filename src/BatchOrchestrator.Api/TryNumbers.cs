using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Api;

/// <summary>
/// Tries as the API shows them: counted from 1 (the first try is try 1), as a task record's
/// <c>tries</c> counts them and every surface (CLI, log file names, UI) numbers them.
/// </summary>
internal static class TryNumbers
{
    /// <summary>The try a log key holds, counted from 1 (the engine's keys count from 0).</summary>
    public static int Shown(TaskLogKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Try + 1;
    }
}
