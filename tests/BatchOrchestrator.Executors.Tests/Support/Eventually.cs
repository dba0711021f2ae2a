namespace BatchOrchestrator.Executors.Tests.Support;

/// <summary>Waits for a condition observable from outside (a log, the cluster), failing with what was awaited after a guard timeout.</summary>
internal static class Eventually
{
    /// <summary>Long enough for a loaded CI machine; a hang fails the test instead of the run.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Guard);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout ?? Guard} waiting for {what}.");
            }

            await Task.Delay(20); // how often the condition is looked at, not a synchronisation
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);
}
