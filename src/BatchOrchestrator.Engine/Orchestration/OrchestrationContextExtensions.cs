namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>Conveniences over <see cref="IOrchestrationContext"/>, as Durable Task offers them.</summary>
public static class OrchestrationContextExtensions
{
    /// <summary>Calls an activity whose result is not needed.</summary>
    public static Task CallActivityAsync(this IOrchestrationContext context, string name, object? input = null, TaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallActivityAsync<object?>(name, input, options);
    }

    /// <summary>Calls a sub-orchestration whose output is not needed.</summary>
    public static Task CallSubOrchestratorAsync(this IOrchestrationContext context, string name, object? input = null, TaskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallSubOrchestratorAsync<object?>(name, input, options);
    }

    /// <summary>A durable timer for a duration from the replay-safe current time.</summary>
    public static Task CreateTimer(this IOrchestrationContext context, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CreateTimer(context.CurrentUtcDateTime + delay, cancellationToken);
    }
}
