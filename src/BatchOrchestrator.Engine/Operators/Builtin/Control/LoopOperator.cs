using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.Engine.Operators.Builtin.Control;

/// <summary><c>loop&gt;: N</c> — runs <c>_do</c> N times, <c>${i}</c> counting from 0.</summary>
public sealed class LoopOperator : IOrchestratorOperator
{
    public static OperatorDescription Description { get; } = new("loop", "repeats _do N times")
    {
        Example = "loop>: 3", PassesParams = true, Body = OperatorBody.Do, Validator = new CountValidator(),
    };

    public OrchestratorTaskResult Evaluate(OrchestratorTaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subtasks = SubtaskGenerator.Loop(ControlValues.Node(request.Command), ControlValues.Body(request), ControlValues.Node(request.Option("_parallel")));
        return new OrchestratorTaskResult { Subtasks = ControlValues.ToElement(subtasks) };
    }

    private sealed class CountValidator : IOperatorValidator
    {
        public void Validate(OperatorCheck check)
        {
            if (check.Command is { } command && !OperatorCheck.IsTemplate(command))
            {
                check.Integer(check.Key, command, 0, " (how many times to run _do) or a ${...} template");
            }
        }
    }
}
