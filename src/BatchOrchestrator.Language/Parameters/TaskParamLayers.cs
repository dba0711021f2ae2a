namespace BatchOrchestrator.Language.Parameters;

/// <summary>The three layers of params that reach one task, as the orchestrator collected them.</summary>
/// <param name="Local">Params set on the task itself.</param>
/// <param name="Exports">Every <c>_export</c> visible to the task (its own and its ancestors'), in any order.</param>
/// <param name="Stores">Every store visible to the task (from tasks that finished before it), in any order.</param>
public sealed record TaskParamLayers(LocalParams Local, IReadOnlyList<ExportedParams> Exports, IReadOnlyList<StoredParams> Stores)
{
    /// <summary>Only local params, nothing exported or stored.</summary>
    public static TaskParamLayers OnlyLocal(ParamSet local) => new(new LocalParams(local), [], []);
}
