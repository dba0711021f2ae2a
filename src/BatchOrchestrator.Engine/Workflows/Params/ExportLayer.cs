using System.Text.Json;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// Params a task passes down to its descendants: its <c>_export</c> as written (templates are
/// evaluated lazily in each task that uses them) or what its operator exported.
/// </summary>
public sealed record ExportLayer(JsonElement Values, ParamSequence Sequence);
