namespace BatchOrchestrator.Runtime.Tests.Support;

/// <summary>Waits for a condition observable from outside (history, status), failing after a guard timeout.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeouts.Guard;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Yield();
            await Task.Delay(10); // polling interval of the condition, not a synchronisation
        }
    }
}
