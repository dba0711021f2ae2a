namespace BatchOrchestrator.Language.Diagnostics;

/// <summary>
/// A user's mistake in a workflow or parameter, carrying positioned diagnostics.
/// Hosts print <see cref="Exception.Message"/> and never a stack trace for it.
/// </summary>
public sealed class WorkflowLanguageException : Exception
{
    public WorkflowLanguageException(IReadOnlyList<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())))
    {
        Diagnostics = diagnostics;
    }

    public WorkflowLanguageException(SourceLocation location, string message)
        : this([new Diagnostic(location, message)])
    {
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
