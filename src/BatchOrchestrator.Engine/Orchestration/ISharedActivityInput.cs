namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// An activity input that neither the orchestrator changes after the call nor the activity
/// changes: a runtime that runs the activity in the orchestrator's process may hand it the very
/// object the orchestrator passed instead of a copy read back from its serialized form. The
/// serialized form is still what is recorded, and what an activity run from the records (after a
/// restart, or on another worker) reads, so the type must come back from it the same.
/// </summary>
public interface ISharedActivityInput;
