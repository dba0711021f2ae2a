using System.Threading.Channels;

namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// Instances that have work, each at most once, handed to one dispatcher at a time. An instance
/// that gets new work while a dispatcher holds it is queued again when that dispatcher releases
/// it, never given to a second dispatcher meanwhile.
/// </summary>
internal sealed class ReadyQueue
{
    private readonly Channel<string> channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly HashSet<string> queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> held = new(StringComparer.Ordinal);
    private readonly HashSet<string> dirty = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public void MarkReady(string instanceId)
    {
        lock (gate)
        {
            if (held.Contains(instanceId))
            {
                dirty.Add(instanceId);
                return;
            }

            if (!queued.Add(instanceId))
            {
                return;
            }
        }

        channel.Writer.TryWrite(instanceId);
    }

    /// <summary>
    /// Marks an instance ready, or — when no dispatcher holds it and it is not queued — hands it
    /// straight to the caller, who then holds it until <see cref="Release"/> (true). Lets the
    /// thread that produced an instance's work run its turn, without waking a dispatcher.
    /// </summary>
    public bool MarkReadyOrClaim(string instanceId)
    {
        lock (gate)
        {
            if (held.Contains(instanceId))
            {
                dirty.Add(instanceId);
                return false;
            }

            if (queued.Contains(instanceId))
            {
                return false;
            }

            held.Add(instanceId);
            return true;
        }
    }

    /// <summary>Takes the next instance; the caller holds it until <see cref="Release"/>.</summary>
    public async ValueTask<string> TakeAsync(CancellationToken cancellation)
    {
        var instanceId = await channel.Reader.ReadAsync(cancellation);
        lock (gate)
        {
            queued.Remove(instanceId);
            held.Add(instanceId);
        }

        return instanceId;
    }

    public void Release(string instanceId)
    {
        bool again;
        lock (gate)
        {
            held.Remove(instanceId);
            again = dirty.Remove(instanceId);
        }

        if (again)
        {
            MarkReady(instanceId);
        }
    }
}
