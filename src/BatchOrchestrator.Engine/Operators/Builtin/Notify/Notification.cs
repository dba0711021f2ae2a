namespace BatchOrchestrator.Engine.Operators.Builtin.Notify;

/// <summary>What a notification says, whatever channel carries it.</summary>
/// <param name="Event">
/// <c>message</c> for a <c>notify&gt;</c> task; <c>failure</c>, <c>success</c> or <c>sla_miss</c>
/// when the engine sends it for an attempt.
/// </param>
/// <param name="Title">One line: what happened, to whom.</param>
/// <param name="Text">The message (for an attempt's failure, the failed tasks and their errors).</param>
/// <param name="Facts">Name/value lines in order: project, workflow, session, attempt, task.</param>
public sealed record Notification(string Event, string Title, string Text, IReadOnlyList<KeyValuePair<string, string>> Facts)
{
    public const string MessageEvent = "message";
    public const string FailureEvent = "failure";
    public const string SuccessEvent = "success";
    public const string SlaMissEvent = "sla_miss";

    /// <summary>The events the engine sends for an attempt, as the <c>notify.events</c> option names them.</summary>
    public static IReadOnlyList<string> AttemptEvents { get; } = [FailureEvent, SuccessEvent];
}
