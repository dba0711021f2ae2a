using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;

namespace BatchOrchestrator.Runtime.CrashHost;

/// <summary>
/// The workflow the crash tests run: a chain of activities, a fan-out, a durable timer and a
/// sub-orchestration. Its output is a pure function of its input, so the tests know it.
/// </summary>
public static class CrashWorkflow
{
    public const string Orchestrator = "CrashWorkflow";
    public const int Chain = 12;
    public const int FanOut = 24;
    public const int ChildChain = 8;

    /// <summary>The output every instance <paramref name="seed"/> must end with.</summary>
    public static long Expected(int seed)
    {
        long total = 0;
        for (var i = 0; i < Chain; i++)
        {
            total += Square(seed + i);
        }

        for (var i = 0; i < FanOut; i++)
        {
            total += Square(seed * 100 + i);
        }

        for (var i = 0; i < ChildChain; i++)
        {
            total += Square(seed * 1000 + i);
        }

        return total;
    }

    public static long Square(long x) => x * x % 1_000_003;

    public static OrchestrationRegistry Register(OrchestrationRegistry registry, Action<TaskActivityContext> recordExecution)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<int, long>(Orchestrator, async (context, seed) =>
            {
                long total = 0;
                for (var i = 0; i < Chain; i++)
                {
                    total += await context.CallActivityAsync<long>("Square", seed + i);
                }

                var parallel = Enumerable.Range(0, FanOut).Select(i => context.CallActivityAsync<long>("Square", seed * 100 + i));
                total += (await Task.WhenAll(parallel)).Sum();
                await context.CreateTimer(context.CurrentUtcDateTime.AddMilliseconds(20), CancellationToken.None);
                total += await context.CallSubOrchestratorAsync<long>("CrashChild", seed, new SubOrchestrationOptions($"{context.InstanceId}-child"));
                return total;
            })
            .AddOrchestrator<int, long>("CrashChild", async (context, seed) =>
            {
                long total = 0;
                for (var i = 0; i < ChildChain; i++)
                {
                    total += await context.CallActivityAsync<long>("Square", seed * 1000 + i);
                }

                return total;
            })
            .AddActivity<long, long>("Square", async (context, x, cancellation) =>
            {
                recordExecution(context);
                await Task.Yield();
                return Square(x);
            });
    }
}
