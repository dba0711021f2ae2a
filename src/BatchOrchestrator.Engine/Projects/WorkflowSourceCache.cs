using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// The workflows the <see cref="ActivityNames.LoadWorkflow"/> activity handed over lately, by
/// revision and name. A revision never changes (its id is the hash of its files) and neither do
/// the host's operators, so a workflow that loaded once loads the same every time. Every chunk of
/// a large group asks for its workflow again: without this, a 10,000-task workflow was read and
/// checked 250 times, and a run's time grew with the square of its tasks. Only workflows that
/// can run are kept (a revision that is not stored yet may be pushed later); the oldest entry
/// goes when <paramref name="capacity"/> is reached, so a long-running server holds a few.
/// </summary>
internal sealed class WorkflowSourceCache(int capacity = 16)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<PlanReference, WorkflowSource> _sources = [];
    private readonly Queue<PlanReference> _order = new();

    /// <summary>The workflow from the cache, or from <paramref name="load"/> (kept when it can run).</summary>
    public async Task<WorkflowSource> GetOrLoadAsync(PlanReference reference, Func<Task<WorkflowSource>> load)
    {
        lock (_lock)
        {
            if (_sources.TryGetValue(reference, out var cached))
            {
                return cached;
            }
        }

        var source = await load();
        if (source.Errors.Count > 0)
        {
            return source;
        }

        lock (_lock)
        {
            if (_sources.TryAdd(reference, source))
            {
                _order.Enqueue(reference);
                while (_order.Count > capacity)
                {
                    _sources.Remove(_order.Dequeue());
                }
            }

            return _sources[reference];
        }
    }
}
