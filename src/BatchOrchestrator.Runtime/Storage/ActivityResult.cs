using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>The outcome of one activity run, to be committed as a TaskCompleted or TaskFailed message.</summary>
internal sealed record ActivityResult(ActivityWorkItem WorkItem, HistoryEvent Event);
