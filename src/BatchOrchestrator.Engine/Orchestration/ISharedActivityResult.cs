namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// An activity result that neither the activity keeps changing after it returns it nor orchestrator
/// code changes: a runtime that runs the orchestrator turn in the activity's process may hand the
/// orchestrator the very object the activity returned instead of a copy read back from its
/// serialized form. The serialized form is still what is recorded, and what a replay reads, so
/// everything orchestrator code reads of the type must come back from it the same.
/// </summary>
public interface ISharedActivityResult;
