namespace BatchOrchestrator.Language.Parameters;

/// <summary>
/// One contribution to the <b>store</b> layer: params stored by an earlier task (<c>http&gt;</c>'s
/// <c>store_content</c>, <c>py&gt;</c>'s <c>digdag.env.store</c>, <c>sh&gt;</c> through <c>$BO_OUTPUT</c>).
/// They flow to every later task, never backwards. Stored values are data, never templates: a stored
/// HTTP response containing <c>${...}</c> is not evaluated.
/// </summary>
/// <param name="Sequence">When it was stored; see <see cref="ExportedParams.Sequence"/> for the contract.</param>
/// <param name="Values">The stored params.</param>
/// <param name="Origin">Who stored them (a task name), for messages; may be empty.</param>
public sealed record StoredParams(long Sequence, ParamSet Values, string Origin = "");
