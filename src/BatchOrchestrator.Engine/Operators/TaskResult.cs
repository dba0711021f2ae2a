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

    /// <summary>
    /// Not done yet (Digdag's "next polling"): the engine waits on a durable timer, holding no
    /// worker, then runs the operator again for the same try with <see cref="TaskRequest.PollState"/>
    /// set to this state. The other members are ignored while this is set.
    /// </summary>
    public OperatorPoll? PollAgain { get; init; }
}

/// <summary>When to run a polling operator again, and what it carries to that run (a small JSON value: it is kept in history).</summary>
public sealed record OperatorPoll(TimeSpan After, JsonElement State);
