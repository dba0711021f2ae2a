using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// How a large group is split into sub-orchestrations: consecutive runs of at most
/// <c>max</c> children, or, when that gives more than <c>max</c> parts, of
/// <c>ceil(n / max)</c> children so each part splits again in its own orchestration. Groups
/// whose children wait for particular siblings (<c>_after</c>, <c>_background</c>) are not
/// split: their edges cross any split. A part also closes when its children's definitions
/// (<c>weight</c>, e.g. a generated child's JSON length) would pass <c>maxWeight</c>, so a part's
/// input stays small whatever the body it repeats; such a group may then have more than
/// <c>max</c> parts.
/// </summary>
internal static class ChunkPlan
{
    public static IReadOnlyList<IReadOnlyList<PlannedTask>>? TryCreate(IReadOnlyList<PlannedTask> children, bool parallel, int max, Func<PlannedTask, int> weight, int maxWeight)
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
        var parts = new List<IReadOnlyList<PlannedTask>>();
        var part = new List<PlannedTask>();
        var partWeight = 0L;
        foreach (var child in children)
        {
            var childWeight = weight(child);
            if (part.Count == size || (part.Count > 0 && partWeight + childWeight > maxWeight))
            {
                parts.Add(part);
                part = [];
                partWeight = 0;
            }

            part.Add(child);
            partWeight += childWeight;
        }

        parts.Add(part);
        return parts;
    }
}
