using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Engine.Hosting;

/// <summary>
/// Everything <see cref="EngineBuilder"/> makes the engine from: what a host has (its stores,
/// executors and extra operators) and how the engine is tuned. Both hosts fill this one type, so
/// a setting added here reaches the local engine and the Functions app alike.
/// </summary>
public sealed record EngineOptions
{
    /// <summary>Where task logs go; the engine wraps it in a <see cref="MaskingLogStore"/> before anyone writes.</summary>
    public required ILogStore Logs { get; init; }

    public required IRunStore Runs { get; init; }

    /// <summary>The project's persistent params (<c>param_set&gt;</c>, <c>param_get&gt;</c>).</summary>
    public required IParamStore Params { get; init; }

    public required IProjectRevisionStore Revisions { get; init; }

    /// <summary>Where <c>${secret:...}</c> reads from; none is set when null (every reference fails as "not set").</summary>
    public ISecretStore? Secrets { get; init; }

    /// <summary>
    /// The executors by which command tasks run, each made over the masking log store (so what it
    /// streams is masked with the values its try was launched with). Host configuration decides
    /// them, never workflow files.
    /// </summary>
    public IReadOnlyList<Func<ILogStore, ICommandExecutor>> Executors { get; init; } = [];

    /// <summary>
    /// The operators the host runs — the built-ins, its own (Blob storage's) and plug-ins' — as
    /// the same registry its <c>bo check</c> validates against (see <see cref="EngineBuilder.Operators"/>).
    /// </summary>
    public required OperatorRegistry Operators { get; init; }

    /// <summary>Tuning of the interpreter.</summary>
    public WorkflowEngineOptions Workflows { get; init; } = new();

    /// <summary>Where the engine's metrics and spans are recorded (docs/observability.md); none when null.</summary>
    public Telemetry.EngineTelemetry? Telemetry { get; init; }

    /// <summary>The clock attempts are stamped with.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
