namespace BatchOrchestrator.Runtime.Tests.Support;

/// <summary>Timeouts are failure guards only; tests wait on conditions, never for time to pass.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
}
