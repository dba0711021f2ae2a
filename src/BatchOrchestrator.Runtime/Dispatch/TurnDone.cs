using BatchOrchestrator.Runtime.Storage;

namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>What a committed turn leaves to its caller: whether it committed the activity result in hand, and the activities it scheduled.</summary>
internal readonly record struct TurnDone(bool ResultConsumed, IReadOnlyList<ActivityWorkItem> Activities)
{
    public static TurnDone Nothing => new(false, []);
}
