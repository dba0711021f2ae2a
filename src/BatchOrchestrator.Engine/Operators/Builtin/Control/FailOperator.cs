using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.Engine.Operators.Builtin.Control;

/// <summary><c>fail&gt;: message</c> — fails the task with the message (its <c>_retry</c> and <c>_error</c> apply).</summary>
public sealed class FailOperator : IOrchestratorOperator
{
    public static OperatorDescription Description { get; } = new("fail", "fails the task with a message") { CommandRequired = false, Options = [] };

    public OrchestratorTaskResult Evaluate(OrchestratorTaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        throw new TaskFailure(ControlValues.Text(request.Command));
    }
}
