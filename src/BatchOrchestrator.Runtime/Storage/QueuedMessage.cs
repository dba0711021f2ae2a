using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>
/// A message to an orchestration instance: an event for its history, visible from
/// <see cref="VisibleAt"/> (timers are messages visible in the future). With an
/// <see cref="ExecutionId"/>, it is dropped if the instance has since continued as new.
/// </summary>
internal sealed record QueuedMessage(long Id, string InstanceId, string? ExecutionId, DateTime VisibleAt, HistoryEvent Event);

/// <summary>A message to be enqueued by a commit.</summary>
internal sealed record OutgoingMessage(string InstanceId, string? ExecutionId, DateTime VisibleAt, HistoryEvent Event);
