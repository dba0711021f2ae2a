using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>A sub-orchestration to create with its ExecutionStarted message.</summary>
internal sealed record ChildStart(InstanceRecord Child, HistoryEvent Started);
