using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Storage.Blob.Operators;

/// <summary>
/// <c>bo check</c>'s side of <see cref="BlobOptionRules"/>, where values are written out (a
/// <c>${...}</c> value is decided when the task runs): blob paths are <c>container/name</c> with a
/// valid container name, the account URL is http(s), and each <c>blob&gt;</c> action has the paths
/// it needs. Option types (flags, intervals) are the descriptions' own.
/// </summary>
internal sealed class BlobOptionValidator(bool wait) : IOperatorValidator
{
    public void Validate(OperatorCheck check)
    {
        AccountUrl(check);
        if (check.Command is not { } command)
        {
            return;
        }

        if (wait)
        {
            BlobPathValue(check, check.Key, command);
            return;
        }

        if (OperatorCheck.IsTemplate(command) || check.String(check.Key, command) is not { } action)
        {
            return;
        }

        if (!BlobOptionRules.Actions.Contains(action, StringComparer.Ordinal))
        {
            check.Error(command.Location, $"{check.Key}: expected {string.Join(", ", BlobOptionRules.Actions)}, got '{action}'{OperatorCheck.DidYouMean(action, BlobOptionRules.Actions)}");
            return;
        }

        var needed = BlobOptionRules.PathsOf(action);
        foreach (var name in needed)
        {
            if (check.Option(name) is { } value)
            {
                BlobPathValue(check, name, value);
            }
            else
            {
                check.Error(command.Location, $"blob> {action} needs '{name}: container/blob-name'");
            }
        }

        foreach (var entry in check.Task.Config.Entries.Where(e => BlobOptionRules.PathOptions.Contains(e.Name, StringComparer.Ordinal) && !needed.Contains(e.Name, StringComparer.Ordinal)))
        {
            check.Error(entry.Key.Location, $"blob> {action} takes {string.Join(" and ", needed)}, not '{entry.Name}'");
        }
    }

    private static void BlobPathValue(OperatorCheck check, string key, ConfigNode value)
    {
        if (OperatorCheck.IsTemplate(value) || check.String(key, value) is not { } text)
        {
            return;
        }

        if (BlobOptionRules.PathProblem(text) is { } problem)
        {
            check.Error(value.Location, $"{key}: {problem}");
        }
    }

    private static void AccountUrl(OperatorCheck check)
    {
        if (check.Option("account_url") is not { } value || OperatorCheck.IsTemplate(value) || check.String("account_url", value) is not { } text)
        {
            return;
        }

        if (!BlobOptionRules.IsAccountUrl(text))
        {
            check.Error(value.Location, $"account_url: expected {BlobOptionRules.AccountUrlExample}, got {OperatorCheck.Show(value)}");
        }
    }
}
