using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.Engine.Operators.Builtin.Control;

/// <summary><c>if&gt;: true|false</c> — runs <c>_do</c> when true, <c>_else_do</c> when false (either may be missing).</summary>
public sealed class IfOperator : IOrchestratorOperator
{
    public static OperatorDescription Description { get; } = new("if", "runs _do or _else_do")
    {
        CommandType = OptionType.Boolean, Example = "if>: ${flag}", PassesParams = true, Body = OperatorBody.DoAndElse,
    };

    public OrchestratorTaskResult Evaluate(OrchestratorTaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var condition = ControlValues.Text(request.Command).Trim();
        var body = condition switch
        {
            "true" or "True" => request.Do,
            "false" or "False" => request.ElseDo,
            _ => throw new TaskFailure($"if>: expected true or false, got '{condition}'", retryable: false),
        };
        return body is { } subtasks ? new OrchestratorTaskResult { Subtasks = subtasks } : OrchestratorTaskResult.Empty;
    }
}
