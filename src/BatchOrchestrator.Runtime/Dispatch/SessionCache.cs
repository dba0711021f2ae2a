using BatchOrchestrator.Runtime.Execution;

namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// Live sessions by instance id, least recently used evicted first, so memory stays bounded.
/// An evicted or missing session is rebuilt by replaying history: the cache only saves work.
/// </summary>
internal sealed class SessionCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Id, OrchestrationSession Session)>> index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, OrchestrationSession Session)> order = new();
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return index.Count;
            }
        }
    }

    /// <summary>Removes and returns the session (the caller holds the instance exclusively).</summary>
    public OrchestrationSession? Take(string instanceId)
    {
        lock (gate)
        {
            if (!index.Remove(instanceId, out var node))
            {
                return null;
            }

            order.Remove(node);
            return node.Value.Session;
        }
    }

    public void Put(string instanceId, OrchestrationSession session)
    {
        if (capacity <= 0)
        {
            return;
        }

        lock (gate)
        {
            if (index.Remove(instanceId, out var old))
            {
                order.Remove(old);
            }

            index[instanceId] = order.AddFirst((instanceId, session));
            while (index.Count > capacity && order.Last is { } last)
            {
                order.RemoveLast();
                index.Remove(last.Value.Id);
            }
        }
    }

    public void Remove(string instanceId) => Take(instanceId);
}
