namespace BatchOrchestrator.Language.Diagnostics;

/// <summary>
/// Collects every problem of a check so a user sees them all at once instead of fixing one per run.
/// Not thread-safe: one bag per check.
/// </summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.IsError);

    public void Error(SourceLocation location, string message) => _items.Add(new Diagnostic(location, message));

    public void Warning(SourceLocation location, string message) =>
        _items.Add(new Diagnostic(location, message, DiagnosticSeverity.Warning));

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>Diagnostics in file order, so output reads top to bottom like the file.</summary>
    public IReadOnlyList<Diagnostic> Sorted() =>
        _items.OrderBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Location.Column)
            .ToList();
}
