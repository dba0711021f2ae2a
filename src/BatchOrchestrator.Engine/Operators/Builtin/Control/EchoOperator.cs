using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.Engine.Operators.Builtin.Control;

/// <summary><c>echo&gt;: message</c> — writes the message to the task's log, costing no activity of its own.</summary>
public sealed class EchoOperator : IOrchestratorOperator
{
    public static OperatorDescription Description { get; } = new("echo", "prints a message") { CommandRequired = false, Options = [] };

    public OrchestratorTaskResult Evaluate(OrchestratorTaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OrchestratorTaskResult { Log = ControlValues.Text(request.Command) + "\n" };
    }
}
