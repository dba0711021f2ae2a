namespace BatchOrchestrator.Language.Parameters;

/// <summary>
/// The <b>local</b> layer: params written on the task itself (its keys other than <c>+tasks</c> and group
/// control keys, including <c>_command</c>). They always win over exported and stored params, and are
/// templates: their <c>${...}</c> is evaluated when the task runs.
/// </summary>
public sealed record LocalParams(ParamSet Values)
{
    /// <summary>A task with no local params.</summary>
    public static LocalParams None { get; } = new(ParamSet.Empty);
}
