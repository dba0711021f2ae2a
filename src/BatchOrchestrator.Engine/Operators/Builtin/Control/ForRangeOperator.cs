using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Engine.Operators.Builtin.Control;

/// <summary><c>for_range&gt;: {from, to, step|slices}</c> — runs <c>_do</c> over a numeric range, <c>${range.from}</c>/<c>${range.to}</c>/<c>${range.index}</c> per slice.</summary>
public sealed class ForRangeOperator : IOrchestratorOperator
{
    private static readonly string[] Keys = ["from", "to", "step", "slices"];

    public static OperatorDescription Description { get; } = new("for_range", "repeats _do over a numeric range")
    {
        Example = "for_range>: {from: 0, to: 10, step: 3}", PassesParams = true, Body = OperatorBody.Do, Validator = new RangeValidator(),
    };

    public OrchestratorTaskResult Evaluate(OrchestratorTaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subtasks = SubtaskGenerator.ForRange(ControlValues.Node(request.Command), ControlValues.Body(request), ControlValues.Node(request.Option("_parallel")));
        return new OrchestratorTaskResult { Subtasks = ControlValues.ToElement(subtasks) };
    }

    /// <summary>from and to, exactly one of step or slices, every one a number (or a template).</summary>
    private sealed class RangeValidator : IOperatorValidator
    {
        public void Validate(OperatorCheck check)
        {
            var key = check.Key;
            if (check.Command is not { } command || OperatorCheck.IsTemplate(command) || check.Mapping(key, command) is not { } mapping)
            {
                return;
            }

            foreach (var entry in mapping.Entries)
            {
                if (!Keys.Contains(entry.Name))
                {
                    check.Error(entry.Key.Location, $"{key} unknown option '{entry.Name}'{OperatorCheck.DidYouMean(entry.Name, Keys)}; options are from, to, step, slices");
                }
                else if (!OperatorCheck.IsTemplate(entry.Value) && (entry.Value is not ScalarNode s || !s.TryGetNumber(out _)))
                {
                    check.Error(entry.Value.Location, $"{key} {entry.Name}: expected a number, got {OperatorCheck.Show(entry.Value)}");
                }
            }

            foreach (var required in new[] { "from", "to" })
            {
                if (mapping.Find(required) is null)
                {
                    check.Error(mapping.Location, $"{key} needs '{required}'");
                }
            }

            if ((mapping.Find("step") is not null) == (mapping.Find("slices") is not null))
            {
                check.Error(mapping.Location, $"{key} needs exactly one of 'step' or 'slices'");
            }
        }
    }
}
