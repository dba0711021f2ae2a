namespace BatchOrchestrator.Language.Operators;

/// <summary>
/// An operator's own rules, checked by <c>bo check</c> and whenever a workflow is compiled —
/// including inside the orchestrator, so it must be a pure function of the task (no I/O, clock,
/// environment): the same task always gets the same diagnostics.
/// </summary>
public interface IOperatorValidator
{
    /// <summary>Reports each problem of the task through <paramref name="check"/>; a <c>${...}</c> value is decided at run time.</summary>
    void Validate(OperatorCheck check);
}
