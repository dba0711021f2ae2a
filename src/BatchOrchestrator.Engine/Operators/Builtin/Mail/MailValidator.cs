using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Engine.Operators.Builtin.Mail;

/// <summary>
/// mail&gt;'s rules beyond option types: the command is a body file or <c>{data: text}</c>, and a
/// password is never an option (it would be written in the workflow).
/// </summary>
internal sealed class MailValidator : IOperatorValidator
{
    public void Validate(OperatorCheck check)
    {
        switch (check.Command)
        {
            case MappingNode body when body.Find("data") is null || body.Entries.Count != 1:
                check.Error(body.Location, $"{check.Key} expected a body file (mail>: body.txt) or {{data: text}}, got a mapping with {string.Join(", ", body.Entries.Select(e => e.Name))}");
                break;
            case MappingNode:
            case null or ScalarNode { IsNull: true }:
                break;
            case var command:
                check.String(check.Key, command);
                break;
        }

        if (check.Task.LocalParams.FirstOrDefault(p => p.Name == "password") is { } password)
        {
            check.Error(password.Key.Location, "mail>: the password option is not read (it would be written in the workflow); set the secret mail.password instead (bo secrets --set mail.password)");
        }
    }
}
