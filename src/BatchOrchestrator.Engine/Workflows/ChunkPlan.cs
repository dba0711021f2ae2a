using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// How a large group is split into sub-orchestrations: consecutive runs of at most
/// <c>max</c> children, or, when that gives more than <c>max</c> parts, of
/// <c>ceil(n / max)</c> children so each part splits again in its own orchestration. Groups
/// whose children wait for particular siblings (<c>_after</c>, <c>_background</c>) are not
/// split: their edges cross any split.
/// </summary>
internal static class ChunkPlan
{
    public static IReadOnlyList<IReadOnlyList<PlannedTask>>? TryCreate(IReadOnlyList<PlannedTask> children, bool parallel, int max)
    {
        if (children.Count <= max || max < 2)
        {
            return null;
        }

        var simple = parallel
            ? children.All(c => c.AfterIndexes.Count == 0)
            : children.All(c => !c.Background) && children.All(c => c.AfterIndexes.Count == 0);
        if (!simple)
        {
            return null;
        }

        var size = children.Count <= max * max ? max : (int)Math.Ceiling(children.Count / (double)max);
        return children.Chunk(size).Select(c => (IReadOnlyList<PlannedTask>)c).ToList();
    }
}
