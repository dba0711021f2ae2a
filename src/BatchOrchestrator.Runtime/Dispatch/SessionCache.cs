using BatchOrchestrator.Runtime.Execution;

namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// Live sessions by instance id, least recently used evicted first, so memory stays bounded.
/// An evicted or missing session is rebuilt by replaying history: the cache only saves work.
/// </summary>
internal sealed class SessionCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Id, OrchestrationSession Session)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, OrchestrationSession Session)> _order = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>Removes and returns the session (the caller holds the instance exclusively).</summary>
    public OrchestrationSession? Take(string instanceId)
    {
        lock (_gate)
        {
            if (!_index.Remove(instanceId, out var node))
            {
                return null;
            }

            _order.Remove(node);
            return node.Value.Session;
        }
    }

    public void Put(string instanceId, OrchestrationSession session)
    {
        if (capacity <= 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_index.Remove(instanceId, out var old))
            {
                _order.Remove(old);
            }

            _index[instanceId] = _order.AddFirst((instanceId, session));
            while (_index.Count > capacity && _order.Last is { } last)
            {
                _order.RemoveLast();
                _index.Remove(last.Value.Id);
            }
        }
    }

    public void Remove(string instanceId) => Take(instanceId);
}
