namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// A declarative retry policy with Durable Task's parameters. Delays are durable timers, so a
/// retry survives a restart and replays deterministically.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Creates a policy; see the properties for the meaning of each parameter.</summary>
    public RetryPolicy(
        int maxNumberOfAttempts,
        TimeSpan firstRetryInterval,
        double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null,
        TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(1);
        RetryTimeout = retryTimeout ?? Timeout.InfiniteTimeSpan;
    }

    /// <summary>Total attempts, the first one included (at least 1).</summary>
    public int MaxNumberOfAttempts { get; }

    /// <summary>Delay between the first and the second attempt.</summary>
    public TimeSpan FirstRetryInterval { get; }

    /// <summary>Multiplier of the delay after each further failure (at least 1).</summary>
    public double BackoffCoefficient { get; }

    /// <summary>Upper bound of one delay (one hour unless set).</summary>
    public TimeSpan MaxRetryInterval { get; }

    /// <summary>No attempt starts later than this after the first one (infinite unless set).</summary>
    public TimeSpan RetryTimeout { get; }

    /// <summary>Decides from the failure whether to retry; every failure is retried when null.</summary>
    public Func<TaskFailureDetails, bool>? HandleFailure { get; init; }

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1, after <paramref name="attempt"/> failures (1-based).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var ticks = FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1);
        return ticks >= MaxRetryInterval.Ticks ? MaxRetryInterval : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> under <paramref name="policy"/> in orchestrator code, as the
    /// hosts do: a durable timer of <paramref name="context"/> between tries, until the policy's
    /// attempts, its timeout or its failure filter end it; once without a policy.
    /// </summary>
    public static async Task<T> RunAsync<T>(IOrchestrationContext context, RetryPolicy? policy, Func<Task<T>> attempt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        if (policy is null)
        {
            return await attempt();
        }

        var firstAttempt = context.CurrentUtcDateTime;
        for (var number = 1; ; number++)
        {
            TaskFailedException failure;
            try
            {
                return await attempt();
            }
            catch (TaskFailedException e)
            {
                failure = e;
            }

            var next = context.CurrentUtcDateTime + policy.DelayAfter(number);
            var timedOut = policy.RetryTimeout != Timeout.InfiniteTimeSpan && next > firstAttempt + policy.RetryTimeout;
            if (number >= policy.MaxNumberOfAttempts || timedOut || !(policy.HandleFailure?.Invoke(failure.FailureDetails) ?? true))
            {
                throw failure;
            }

            await context.CreateTimer(next, CancellationToken.None);
        }
    }
}
