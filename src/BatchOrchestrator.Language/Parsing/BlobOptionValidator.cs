using System.Globalization;
using System.Text.RegularExpressions;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Language.Parsing;

/// <summary>
/// Checks the options of <c>blob_wait&gt;</c> and <c>blob&gt;</c> where they are written out (a
/// <c>${...}</c> value is decided when the task runs): blob paths are <c>container/name</c> with a
/// valid container name, flags are booleans, intervals are durations, and each <c>blob&gt;</c>
/// action has the paths it needs.
/// </summary>
internal sealed partial class BlobOptionValidator(ValueReader reader)
{
    private static readonly string[] Actions = ["copy", "move", "delete"];
    private static readonly string[] PathOptions = ["source", "destination", "path"];

    public void ValidateWait(ConfigNode command, TaskDefinition task)
    {
        BlobPathValue("blob_wait>", command);
        foreach (var flag in new[] { "prefix", "continue_on_timeout" })
        {
            if (Option(task, flag) is { } value && ValueReader.Template(value) is null)
            {
                reader.Boolean(flag, value);
            }
        }

        foreach (var duration in new[] { "interval", "timeout" })
        {
            if (Option(task, duration) is { } value)
            {
                Duration(duration, value);
            }
        }

        AccountUrl(task);
    }

    public void ValidateBlob(ConfigNode command, TaskDefinition task)
    {
        AccountUrl(task);
        if (ValueReader.Template(command) is not null || reader.String("blob>", command) is not { } action)
        {
            return;
        }

        if (!Actions.Contains(action, StringComparer.Ordinal))
        {
            reader.Diagnostics.Error(command.Location, $"blob>: expected {string.Join(", ", Actions)}, got '{action}'{Suggestions.DidYouMean(action, Actions)}");
            return;
        }

        string[] needed = action == "delete" ? ["path"] : ["source", "destination"];
        foreach (var name in needed)
        {
            if (Option(task, name) is { } value)
            {
                BlobPathValue(name, value);
            }
            else
            {
                reader.Diagnostics.Error(command.Location, $"blob> {action} needs '{name}: container/blob-name'");
            }
        }

        foreach (var entry in task.Config.Entries.Where(e => PathOptions.Contains(e.Name, StringComparer.Ordinal) && !needed.Contains(e.Name, StringComparer.Ordinal)))
        {
            reader.Diagnostics.Error(entry.Key.Location, $"blob> {action} takes {string.Join(" and ", needed)}, not '{entry.Name}'");
        }
    }

    private void BlobPathValue(string key, ConfigNode value)
    {
        if (ValueReader.Template(value) is not null || reader.String(key, value) is not { } text)
        {
            return;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            reader.Diagnostics.Error(value.Location, $"{key}: expected container/blob-name (e.g. reports/daily/2026-11-21.csv), got {ValueReader.Show(value)}");
        }
        else if (!ContainerName().IsMatch(text[..slash]) || text[..slash].Contains("--", StringComparison.Ordinal))
        {
            reader.Diagnostics.Error(value.Location, $"{key}: '{text[..slash]}' is not a container name (3-63 lowercase letters, digits and single hyphens)");
        }
    }

    /// <summary>Seconds (<c>30</c>, <c>0.5</c>) or a duration (<c>2m</c>), as the operators read them.</summary>
    private void Duration(string key, ConfigNode value)
    {
        if (ValueReader.Template(value) is not null)
        {
            return;
        }

        var ok = value is ScalarNode { IsNull: false } scalar
            && ((double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
                || (DurationText.TryParse(scalar.Value, out var duration) && duration > TimeSpan.Zero));
        if (!ok)
        {
            reader.Diagnostics.Error(value.Location, $"{key}: expected a number of seconds (e.g. 30) or a duration such as 5m, got {ValueReader.Show(value)}");
        }
    }

    private void AccountUrl(TaskDefinition task)
    {
        if (Option(task, "account_url") is not { } value || ValueReader.Template(value) is not null || reader.String("account_url", value) is not { } text)
        {
            return;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            reader.Diagnostics.Error(value.Location, $"account_url: expected an account URL such as https://myaccount.blob.core.windows.net, got {ValueReader.Show(value)}");
        }
    }

    private static ConfigNode? Option(TaskDefinition task, string name) => task.Config.Get(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();
}
