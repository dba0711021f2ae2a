namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>What the scheduler did with a due session.</summary>
public enum SessionOutcome
{
    /// <summary>A new attempt was started.</summary>
    Started,

    /// <summary>The session's attempt already existed (started by another scheduler, before a restart, or by hand); nothing new started.</summary>
    AlreadyStarted,

    /// <summary>Not started: later than <c>skip_delayed_by</c> allows.</summary>
    SkippedDelayed,

    /// <summary>Not started: <c>skip_on_overtime</c> and the previous session's attempt still runs.</summary>
    SkippedOvertime,

    /// <summary>Starting it failed; it is tried again on the next tick.</summary>
    Failed,
}

/// <summary>One due session (or backfill session) and what became of it.</summary>
public sealed record SessionDecision(string Project, string Workflow, DateTimeOffset SessionTime, SessionOutcome Outcome, string? AttemptId, string? Backfill = null, string? Error = null);

/// <summary>What one tick did, in order.</summary>
public sealed record TickReport(DateTimeOffset Now, IReadOnlyList<SessionDecision> Decisions)
{
    public IEnumerable<SessionDecision> Started => Decisions.Where(d => d.Outcome == SessionOutcome.Started);
}
