namespace BatchOrchestrator.Language.Scheduling;

/// <summary>What a scheduler should do with a session whose run time has come.</summary>
public enum DueAction
{
    /// <summary>Start the session (the server still applies <c>skip_on_overtime</c>, which depends on running attempts).</summary>
    Start,

    /// <summary>Do not start it: it is later than <c>skip_delayed_by</c> allows.</summary>
    SkipDelayed,
}

/// <summary>A session whose run time has passed, and whether to start it.</summary>
public sealed record DueSession(ScheduleTime Time, DueAction Action);
