using System.Text.RegularExpressions;
using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// The operators only the interpreter can run, because they need the orchestrator's own context:
/// <c>call&gt;</c> (loads another workflow of the project and runs it as a subtask),
/// <c>require&gt;</c> (starts another session and polls it) and <c>wait&gt;</c> (a durable timer).
/// Every <see cref="OperatorRegistry"/> holds their descriptions, so a check knows them and no
/// definition can take their names.
/// </summary>
internal static partial class InterpreterOperators
{
    public static IReadOnlyList<OperatorDescription> Descriptions { get; } =
    [
        new("call", "runs another workflow of the project as a subtask")
        {
            CommandType = OptionType.String, Example = "call>: other_workflow", PassesParams = true,
        },
        new("require", "starts or waits for another workflow's session")
        {
            CommandType = OptionType.String, Example = "require>: other_workflow",
            Options =
            [
                new("session_time", OptionType.String), new("project_name", OptionType.String), new("project_id", OptionType.Integer),
                new("rerun_on", OptionType.String, Values: ["none", "failed", "all"]), new("ignore_failure", OptionType.Boolean),
                new("params", OptionType.Mapping), new("retry_attempt_name", OptionType.String),
            ],
        },
        new("wait", "waits for a duration")
        {
            Example = "wait>: 10s",
            Options = [new("blocking", OptionType.Boolean), new("poll_interval", OptionType.Duration)],
            Validator = new WaitValidator(),
        },
    ];

    /// <summary><c>wait&gt;: 10s</c>: a duration, unless a template decides it.</summary>
    private sealed class WaitValidator : IOperatorValidator
    {
        public void Validate(OperatorCheck check)
        {
            if (check.Command is { } command && !OperatorCheck.IsTemplate(command)
                && (command is not Language.Syntax.ScalarNode scalar || !DurationPattern().IsMatch(scalar.Value)))
            {
                check.Error(command.Location, $"{check.Key} expected a duration such as 10s, 5m or 1h, got {OperatorCheck.Show(command)}");
            }

            // As Digdag: a blocking wait has nothing to poll.
            if (check.Option("blocking") is Language.Syntax.ScalarNode { Value: "true" or "True" } && check.Task.Config.Find("poll_interval") is { } poll)
            {
                check.Error(poll.Key.Location, $"{check.Key} poll_interval can't be given with blocking: true (a blocking wait does not poll); remove one of them");
            }
        }
    }

    [GeneratedRegex(@"^\s*(\d+(\.\d+)?\s*(ms|s|m|h|d)?\s*)+$")]
    private static partial Regex DurationPattern();
}
