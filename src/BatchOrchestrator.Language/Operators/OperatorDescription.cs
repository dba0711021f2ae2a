namespace BatchOrchestrator.Language.Operators;

/// <summary>
/// Everything a check knows about one operator: its command, its options and the rules they
/// follow. Written once, beside the operator (the Engine's definitions, a plug-in's own), and read
/// by the Language when it validates a task of that operator.
/// </summary>
/// <param name="Name">The name used in workflows, without <c>&gt;</c>.</param>
/// <param name="Summary">What it does, in a few words (for listings).</param>
public sealed record OperatorDescription(string Name, string Summary)
{
    /// <summary>Read by the engine for every operator task: the try's time limit.</summary>
    public static OptionSpec Timeout { get; } = new("timeout", OptionType.Duration);

    /// <summary>Whether <c>op&gt;:</c> must have a value (echo&gt; and fail&gt; may be empty).</summary>
    public bool CommandRequired { get; init; } = true;

    /// <summary>
    /// The command's shape when written out: <see cref="OptionType.String"/>,
    /// <see cref="OptionType.Mapping"/>, <see cref="OptionType.Boolean"/>, or
    /// <see cref="OptionType.Any"/> (not checked here; a <see cref="Validator"/> may).
    /// </summary>
    public OptionType CommandType { get; init; } = OptionType.Any;

    /// <summary>An example of the operator key, for "needs a value" (<c>loop&gt;: 3</c>).</summary>
    public string? Example { get; init; }

    /// <summary>
    /// The options it reads; null when they are not checked at all. <see cref="Timeout"/> is
    /// always an option.
    /// </summary>
    public IReadOnlyList<OptionSpec>? Options { get; init; } = [];

    /// <summary>
    /// Its other keys are legitimate params it hands on (sh&gt;'s environment, py&gt;'s arguments,
    /// a called workflow), so only a near-miss of a known option is reported (as a warning);
    /// otherwise any other key is an error unless a template of the task reads it.
    /// </summary>
    public bool PassesParams { get; init; }

    public OperatorBody Body { get; init; } = OperatorBody.None;

    /// <summary>Rules beyond option types (a for_range&gt; needs from and to); null for none.</summary>
    public IOperatorValidator? Validator { get; init; }

    public OptionSpec? FindOption(string name) =>
        Options?.FirstOrDefault(o => o.Name == name) ?? (name == Timeout.Name ? Timeout : null);

    public IEnumerable<string> OptionNames => (Options ?? []).Select(o => o.Name).Append(Timeout.Name);
}
