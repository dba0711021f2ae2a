using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Language.Parsing;

/// <summary>
/// Checks an operator's command value as its description says (needed or not; a string, a
/// mapping, a boolean), then whether the task has the bodies it reads, then the operator's own
/// rules (<see cref="OperatorDescription.Validator"/>).
/// </summary>
internal sealed class OperatorCommandValidator(ValueReader reader)
{
    public void Validate(OperatorDescription description, OperatorCall call, TaskDefinition task)
    {
        var key = $"{call.Name}>";
        var command = call.Command;
        if (command is null || command is ScalarNode { IsNull: true })
        {
            if (description.CommandRequired)
            {
                reader.Diagnostics.Error(call.Location, $"{key} needs a value: {description.Example ?? $"{call.Name}>: ..."}");
            }
            else
            {
                // An operator that may go without a value can still have rules about the rest.
                description.Validator?.Validate(new OperatorCheck(call, task, reader));
            }

            return;
        }

        CheckShape(description.CommandType, key, command);

        var hasBody = task.DoBody is not null || (description.Body == OperatorBody.DoAndElse && task.ElseDoBody is not null);
        if (description.Body != OperatorBody.None && !hasBody)
        {
            reader.Diagnostics.Error(call.Location, $"{key} needs a _do: block with the tasks to run");
        }

        description.Validator?.Validate(new OperatorCheck(call, task, reader));
    }

    private void CheckShape(OptionType type, string key, ConfigNode command)
    {
        switch (type)
        {
            case OptionType.String:
                reader.String(key, command);
                break;
            case OptionType.Mapping:
                reader.Mapping(key, command);
                break;
            case OptionType.Boolean when ValueReader.Template(command) is null:
                reader.Boolean(key, command);
                break;
        }
    }
}
