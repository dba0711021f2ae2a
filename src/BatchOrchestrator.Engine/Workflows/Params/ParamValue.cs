using System.Text.Json;

namespace BatchOrchestrator.Engine.Workflows.Params;

/// <summary>
/// A param value and when it was set. "When" is a logical sequence the interpreter hands out
/// deterministically; between an <c>_export</c> and a stored param, the later one wins.
/// </summary>
public sealed record ParamValue(JsonElement Value, ParamSequence Sequence);
