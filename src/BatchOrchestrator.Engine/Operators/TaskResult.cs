using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// What a task try produced, Digdag's <c>TaskResult</c>: params for later tasks (store), params for
/// its own subtasks (export), store keys to reset, and optionally subtasks to run as
/// dynamic children (<c>^sub</c>).
/// </summary>
public sealed record TaskResult
{
    public static TaskResult Empty { get; } = new();

    /// <summary>Params every later task sees (a JSON object, or null for none).</summary>
    public JsonElement? StoreParams { get; init; }

    /// <summary>Params the subtasks see (a JSON object, or null for none).</summary>
    public JsonElement? ExportParams { get; init; }

    /// <summary>Store keys to remove.</summary>
    public IReadOnlyList<string> ResetStoreParams { get; init; } = [];

    /// <summary>A task config (a JSON object of <c>+tasks</c>) the engine inserts as dynamic children.</summary>
    public JsonElement? Subtasks { get; init; }
}
