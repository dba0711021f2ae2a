namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// The turns running now, each with the token its orchestrator code sees as
/// <see cref="Engine.Orchestration.IOrchestrationContext.Interrupted"/>. A termination of an
/// instance whose turn is running cancels that token: the turn's work is moot (the termination
/// is processed next and keeps nothing of it), so a long evaluation in it stops instead of
/// holding its dispatcher until it ends.
/// </summary>
internal sealed class TurnInterrupts
{
    private readonly Dictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Opens a turn of the instance (before its messages are read, so no termination slips between).</summary>
    public CancellationToken Begin(string instanceId)
    {
        var source = new CancellationTokenSource();
        lock (_gate)
        {
            _running[instanceId] = source;
        }

        return source.Token;
    }

    public void End(string instanceId)
    {
        lock (_gate)
        {
            _running.Remove(instanceId);
        }
    }

    /// <summary>The runtime stops: every running turn is given up (the next runtime on the database redoes it).</summary>
    public void StopAll()
    {
        lock (_gate)
        {
            foreach (var source in _running.Values)
            {
                source.Cancel();
            }
        }
    }

    /// <summary>The instance is being terminated: a turn of it that runs now is given up.</summary>
    public void Terminating(string instanceId)
    {
        lock (_gate)
        {
            // Under the lock, so End cannot race it; nothing registers callbacks on these tokens
            // (orchestrator code only polls them), so cancelling runs no foreign code here.
            if (_running.TryGetValue(instanceId, out var source))
            {
                source.Cancel();
            }
        }
    }
}
