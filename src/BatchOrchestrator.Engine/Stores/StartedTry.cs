using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// What one try of a task started outside the orchestrator: a command (its executor, its
/// <c>container:</c> settings and, once launched, the executor's state) or a run of an activity
/// operator (its request, with <c>${secret:...}</c> still unresolved). Written by the activity that
/// starts the try, before and after it starts, so a kill from any host finds what to stop: the
/// executor's <see cref="ICommandExecutor.CancelAsync"/> with the state, or — when the state never
/// got written (the launch died half-way) — the executor's per-attempt cancel, told the try's
/// settings; and the operator's <see cref="IOperator.CleanupAsync"/> with the request.
/// <para>
/// Keyed by (<see cref="AttemptId"/>, <see cref="TaskName"/>, <see cref="Try"/>). A write without
/// <see cref="Command"/> never replaces one with it, so a launch delivered again cannot erase the
/// state its first delivery wrote — unless it is another launch of the try (<see cref="Launch"/>).
/// </para>
/// </summary>
public sealed record StartedTry
{
    public required string AttemptId { get; init; }

    public required string TaskName { get; init; }

    public required int Try { get; init; }

    /// <summary>The activity operator's name; null for a command (its operator built it and is done).</summary>
    public string? OperatorName { get; init; }

    /// <summary>The executor of a command (<c>local</c>, <c>kubernetes</c>, <c>aci</c>); null for an activity operator.</summary>
    public string? Executor { get; init; }

    /// <summary>The command's <c>container:</c> settings (where it runs: a namespace, a resource group).</summary>
    public JsonElement? Container { get; init; }

    /// <summary>The executor's state of the launched command; null until the launch returned.</summary>
    public CommandState? Command { get; init; }

    /// <summary>
    /// Which launch of a command this is: the same when the launch is delivered again (its host
    /// stopped before the result was saved), another when the try number starts again (a group
    /// retry runs its children's try 0 again). Null for an activity operator.
    /// </summary>
    public string? Launch { get; init; }

    /// <summary>
    /// How many times this <see cref="Launch"/> was delivered: 1 for its first, one more each time a
    /// host stopped before its result was saved and it ran again — each of those may have run the
    /// command, so each counts as a try. Kept by the store across the launch's writes.
    /// </summary>
    public int Deliveries { get; init; }

    /// <summary>The request of an activity operator's try (secret references unresolved); null for a command.</summary>
    public TaskRequest? Request { get; init; }
}
