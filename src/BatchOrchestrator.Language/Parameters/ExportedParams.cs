namespace BatchOrchestrator.Language.Parameters;

/// <summary>
/// One contribution to the <b>export</b> layer: the <c>_export:</c> of the task or of one of its ancestors
/// (or an operator's exported params). It flows to the task that declares it and its descendants only.
/// Its values are templates, evaluated lazily in each task that receives them, against that task's params.
/// </summary>
/// <param name="Sequence">
/// When the contribution was made, as a number from a counter the caller (the orchestrator) increments
/// each time an export or a store is recorded, in the deterministic order of its history. Between the
/// export and the store layer, the contribution with the higher number wins. Numbers must be unique
/// across the exports and stores given to one resolution.
/// </param>
/// <param name="Values">The exported params, unevaluated.</param>
/// <param name="Origin">Who contributed it (a task name such as <c>+wf+group</c>), for messages; may be empty.</param>
public sealed record ExportedParams(long Sequence, ParamSet Values, string Origin = "");
