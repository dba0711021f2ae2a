using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;

namespace BatchOrchestrator.Language.Projects;

/// <summary>The outcome of loading one workflow file: its definition and plan when valid, and every diagnostic.</summary>
public sealed record WorkflowCheckResult(
    string Path,
    WorkflowDefinition? Definition,
    TaskPlan? Plan,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool IsValid => Definition is not null && Plan is not null && !Diagnostics.Any(d => d.IsError);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);

    /// <summary>Every variable the workflow's templates read, in order of first use.</summary>
    public IReadOnlyList<string> ParamsUsed { get; init; } = [];

    /// <summary>
    /// The used variables the workflow never sets itself (no <c>_export</c>, local key or built-in):
    /// they must come from session params (<c>-p name=value</c>) or stored params of earlier tasks.
    /// </summary>
    public IReadOnlyList<string> ParamsFromOutside { get; init; } = [];

    /// <summary>The definition and plan of a valid workflow; a <see cref="WorkflowLanguageException"/> with every error otherwise.</summary>
    public (WorkflowDefinition Definition, TaskPlan Plan) EnsureValid() =>
        IsValid ? (Definition!, Plan!) : throw new WorkflowLanguageException(Errors.ToList());
}
