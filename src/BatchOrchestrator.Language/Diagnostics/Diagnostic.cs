namespace BatchOrchestrator.Language.Diagnostics;

public enum DiagnosticSeverity
{
    Error,
    Warning,
}

/// <summary>One problem found in a workflow, with where it is and what was expected.</summary>
public sealed record Diagnostic(SourceLocation Location, string Message, DiagnosticSeverity Severity = DiagnosticSeverity.Error)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString() =>
        Severity == DiagnosticSeverity.Error ? $"{Location}: {Message}" : $"{Location}: warning: {Message}";
}
