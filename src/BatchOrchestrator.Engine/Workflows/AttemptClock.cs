using BatchOrchestrator.Engine.Workflows.Params;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// The logical clock of one orchestration of an attempt (see <see cref="ParamSequence"/>):
/// advanced by each param contribution and task record update, handed to the chunks it starts,
/// and moved past what they report when they return. Deterministic: it counts, it never reads
/// a time (a chunk started in the same second as an earlier one must still come after it).
/// </summary>
/// <param name="start">The clock of the parent when it started this chunk (0 for the attempt).</param>
/// <param name="lane">This chunk's path (null for the attempt's orchestration).</param>
internal sealed class AttemptClock(long start, string? lane)
{
    private long _now = start;

    /// <summary>The chunk path of this orchestration; null for the attempt's.</summary>
    public string? Lane => lane;

    /// <summary>The last value handed out (or the start): what a chunk starts from, and reports when it returns.</summary>
    public long Now => _now;

    /// <summary>The next value, for an update that only needs to be later than what it follows (a task record's).</summary>
    public long Tick() => checked(++_now);

    public ParamSequence Next() => new(Tick(), lane);

    /// <summary>After a chunk returned: what comes next is later than everything it did.</summary>
    public void MovePast(long clock)
    {
        if (clock > _now)
        {
            _now = clock;
        }
    }

    /// <summary>The path of the chunk started by this orchestration's <paramref name="ordinal"/>-th sub-orchestration call.</summary>
    public string ChunkLane(int ordinal)
    {
        var number = ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return lane is null ? number : lane + "." + number;
    }
}
