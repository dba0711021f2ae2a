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

    /// <summary>The definition and plan of a valid workflow; a <see cref="WorkflowLanguageException"/> with every error otherwise.</summary>
    public (WorkflowDefinition Definition, TaskPlan Plan) EnsureValid() =>
        IsValid ? (Definition!, Plan!) : throw new WorkflowLanguageException(Errors.ToList());
}
