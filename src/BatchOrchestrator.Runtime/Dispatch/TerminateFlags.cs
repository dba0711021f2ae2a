namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>Markers carried in the Name of an ExecutionTerminated message.</summary>
internal static class TerminateFlags
{
    /// <summary>Terminate the running sub-orchestrations too.</summary>
    public const string Recursive = "recursive";
}
