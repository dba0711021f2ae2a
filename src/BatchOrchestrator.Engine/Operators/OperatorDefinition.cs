using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// The one description of an operator: its name and what a check validates
/// (<see cref="Description"/>), its <see cref="Kind"/>, and what runs it — exactly one of
/// <see cref="Evaluator"/>, <see cref="CreateActivity"/> or <see cref="Script"/>, as the kind says.
/// A host registers definitions in an <see cref="OperatorRegistry"/>; nothing else names operators.
/// </summary>
public sealed record OperatorDefinition
{
    private OperatorDefinition(OperatorDescription description, OperatorKind kind)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentException.ThrowIfNullOrWhiteSpace(description.Name);
        Description = description;
        Kind = kind;
    }

    public string Name => Description.Name;

    public OperatorDescription Description { get; }

    public OperatorKind Kind { get; }

    /// <summary>For <see cref="OperatorKind.Orchestrator"/>: the pure evaluation.</summary>
    public IOrchestratorOperator? Evaluator { get; private init; }

    /// <summary>
    /// For <see cref="OperatorKind.Activity"/>: makes the operator over the host's services, once
    /// per host, when its activities are made. <c>bo check</c> never calls it.
    /// </summary>
    public Func<OperatorServices, IOperator>? CreateActivity { get; private init; }

    /// <summary>For <see cref="OperatorKind.Command"/>: the pure command building an executor runs.</summary>
    public IScriptOperator? Script { get; private init; }

    public static OperatorDefinition Orchestrator(OperatorDescription description, IOrchestratorOperator evaluator)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        return new(description, OperatorKind.Orchestrator) { Evaluator = evaluator };
    }

    public static OperatorDefinition Activity(OperatorDescription description, Func<OperatorServices, IOperator> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new(description, OperatorKind.Activity) { CreateActivity = create };
    }

    public static OperatorDefinition Command(OperatorDescription description, IScriptOperator script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return script.Name == description.Name
            ? new(description, OperatorKind.Command) { Script = script }
            : throw new ArgumentException($"The script operator is named '{script.Name}', its description '{description.Name}'.", nameof(script));
    }

    /// <summary>call&gt;, require&gt;, wait&gt;: only the registry makes these (the interpreter runs them).</summary>
    internal static OperatorDefinition Interpreter(OperatorDescription description) => new(description, OperatorKind.Interpreter);
}
