using BatchOrchestrator.Engine.Orchestration;
using Core = DurableTask.Core;
using CoreHistory = DurableTask.Core.History;

namespace BatchOrchestrator.Functions.Adapters;

/// <summary>
/// Durable Task's history events as the Engine's <see cref="HistoryEvent"/>: one case per event
/// type the Engine names, fields copied as they are. Other event types (generic, continue-as-new
/// bookkeeping, entity messages) have no counterpart and are left out.
/// </summary>
internal static class DurableHistory
{
    public static HistoryEvent? FromDurable(CoreHistory.HistoryEvent e) => e switch
    {
        CoreHistory.ExecutionStartedEvent started => Event(HistoryEventType.ExecutionStarted, e) with
        {
            Name = started.Name,
            Payload = started.Input,
            InstanceId = started.ParentInstance?.OrchestrationInstance?.InstanceId,
        },
        CoreHistory.ExecutionCompletedEvent completed => Event(HistoryEventType.ExecutionCompleted, e) with
        {
            Name = completed.OrchestrationStatus.ToString(),
            Payload = completed.Result,
            Failure = Failure(completed.FailureDetails),
        },
        CoreHistory.ExecutionTerminatedEvent terminated => Event(HistoryEventType.ExecutionTerminated, e) with { Payload = terminated.Input },
        CoreHistory.ExecutionSuspendedEvent suspended => Event(HistoryEventType.ExecutionSuspended, e) with { Payload = suspended.Reason },
        CoreHistory.ExecutionResumedEvent resumed => Event(HistoryEventType.ExecutionResumed, e) with { Payload = resumed.Reason },
        CoreHistory.OrchestratorStartedEvent => Event(HistoryEventType.OrchestratorStarted, e),
        CoreHistory.TaskScheduledEvent scheduled => Event(HistoryEventType.TaskScheduled, e) with { Name = scheduled.Name, Payload = scheduled.Input },
        CoreHistory.TaskCompletedEvent done => Event(HistoryEventType.TaskCompleted, e) with { TaskScheduledId = done.TaskScheduledId, Payload = done.Result },
        CoreHistory.TaskFailedEvent failed => Event(HistoryEventType.TaskFailed, e) with
        {
            TaskScheduledId = failed.TaskScheduledId,
            Failure = Failure(failed.FailureDetails) ?? new TaskFailureDetails("unknown", failed.Reason ?? string.Empty, failed.Details),
        },
        CoreHistory.SubOrchestrationInstanceCreatedEvent created => Event(HistoryEventType.SubOrchestrationInstanceCreated, e) with
        {
            Name = created.Name,
            InstanceId = created.InstanceId,
            Payload = created.Input,
        },
        CoreHistory.SubOrchestrationInstanceCompletedEvent done => Event(HistoryEventType.SubOrchestrationInstanceCompleted, e) with
        {
            TaskScheduledId = done.TaskScheduledId,
            Payload = done.Result,
        },
        CoreHistory.SubOrchestrationInstanceFailedEvent failed => Event(HistoryEventType.SubOrchestrationInstanceFailed, e) with
        {
            TaskScheduledId = failed.TaskScheduledId,
            Failure = Failure(failed.FailureDetails) ?? new TaskFailureDetails("unknown", failed.Reason ?? string.Empty, failed.Details),
        },
        CoreHistory.TimerCreatedEvent timer => Event(HistoryEventType.TimerCreated, e) with { FireAt = timer.FireAt },
        CoreHistory.TimerFiredEvent fired => Event(HistoryEventType.TimerFired, e) with { TaskScheduledId = fired.TimerId, FireAt = fired.FireAt },
        CoreHistory.EventRaisedEvent raised => Event(HistoryEventType.EventRaised, e) with { Name = raised.Name, Payload = raised.Input },
        CoreHistory.EventSentEvent sent => Event(HistoryEventType.EventSent, e) with { Name = sent.Name, InstanceId = sent.InstanceId, Payload = sent.Input },
        _ => null,
    };

    private static HistoryEvent Event(HistoryEventType type, CoreHistory.HistoryEvent e) => new(type, e.Timestamp) { EventId = e.EventId };

    private static TaskFailureDetails? Failure(Core.FailureDetails? details) =>
        details is null ? null : new(details.ErrorType, details.ErrorMessage, details.StackTrace, Failure(details.InnerFailure));
}
