using System.Threading.Channels;

namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// Instances that have work, each at most once, handed to one dispatcher at a time. An instance
/// that gets new work while a dispatcher holds it is queued again when that dispatcher releases
/// it, never given to a second dispatcher meanwhile.
/// </summary>
internal sealed class ReadyQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Instances waiting for a dispatcher.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queued.Count;
            }
        }
    }

    public void MarkReady(string instanceId)
    {
        lock (_gate)
        {
            if (_held.Contains(instanceId))
            {
                _dirty.Add(instanceId);
                return;
            }

            if (!_queued.Add(instanceId))
            {
                return;
            }
        }

        _channel.Writer.TryWrite(instanceId);
    }

    /// <summary>
    /// Marks an instance ready, or — when no dispatcher holds it and it is not queued — hands it
    /// straight to the caller, who then holds it until <see cref="Release"/> (true). Lets the
    /// thread that produced an instance's work run its turn, without waking a dispatcher.
    /// </summary>
    public bool MarkReadyOrClaim(string instanceId)
    {
        lock (_gate)
        {
            if (_held.Contains(instanceId))
            {
                _dirty.Add(instanceId);
                return false;
            }

            if (_queued.Contains(instanceId))
            {
                return false;
            }

            _held.Add(instanceId);
            return true;
        }
    }

    /// <summary>
    /// Hands the instance to the caller when no dispatcher holds it and it is not queued (true; held
    /// until <see cref="Release"/>); otherwise changes nothing. For a worker with an activity result
    /// in hand that is not in the database yet: nothing is there for a dispatcher to find.
    /// </summary>
    public bool TryClaim(string instanceId)
    {
        lock (_gate)
        {
            return !_queued.Contains(instanceId) && _held.Add(instanceId);
        }
    }

    /// <summary>Takes the next instance; the caller holds it until <see cref="Release"/>.</summary>
    public async ValueTask<string> TakeAsync(CancellationToken cancellation)
    {
        var instanceId = await _channel.Reader.ReadAsync(cancellation);
        lock (_gate)
        {
            _queued.Remove(instanceId);
            _held.Add(instanceId);
        }

        return instanceId;
    }

    public void Release(string instanceId)
    {
        bool again;
        lock (_gate)
        {
            _held.Remove(instanceId);
            again = _dirty.Remove(instanceId);
        }

        if (again)
        {
            MarkReady(instanceId);
        }
    }
}
