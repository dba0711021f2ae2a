using System.Text.RegularExpressions;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Language.Parsing;

/// <summary>
/// Checks the options of an operator task against its <see cref="OperatorDescription"/>: a
/// known option must have the right type; a required one must be given (by the task, or as a
/// default in an enclosing <c>_export: {op: {...}}</c>); an unknown key is an error with a "did you
/// mean" unless the operator hands params on or a template of the task reads it.
/// </summary>
internal sealed partial class OperatorOptionValidator(ValueReader reader, IOperatorCatalog catalog)
{
    private DiagnosticBag Diagnostics => reader.Diagnostics;

    /// <param name="exportedDefaults">Option names given in enclosing <c>_export</c>s, per operator (<c>_export: {mail: {from: ...}}</c>).</param>
    public void Validate(OperatorDescription schema, OperatorCall call, TaskDefinition task, Func<string, string, bool> exportedDefaults)
    {
        if (schema.Options is not { } options)
        {
            return;
        }

        var key = $"{call.Name}>";
        HashSet<string>? referenced = null;
        foreach (var entry in task.LocalParams)
        {
            if (schema.FindOption(entry.Name) is { } option)
            {
                CheckType(key, option, entry.Value);
                continue;
            }

            var hint = Suggestions.Closest(entry.Name, schema.OptionNames);
            if (schema.PassesParams)
            {
                // sh>'s environment, py>'s arguments: only a near-miss of a real option looks like a mistake.
                if (hint is not null && !hint.Equals(entry.Name, StringComparison.OrdinalIgnoreCase))
                {
                    Diagnostics.Warning(entry.Key.Location, $"'{entry.Name}' is passed to {key} as a param, not read as an option; did you mean '{hint}'?");
                }

                continue;
            }

            referenced ??= ReferencedNames(task.Config);
            if (!referenced.Contains(entry.Name))
            {
                var suggestion = hint is null ? string.Empty : $"; did you mean '{hint}'?";
                Diagnostics.Error(entry.Key.Location, $"{key} unknown option '{entry.Name}'{suggestion}; {key} options are {string.Join(", ", schema.OptionNames)} (a param this task's templates read is fine)");
            }
        }

        foreach (var required in options.Where(o => o.Required))
        {
            if (task.LocalParams.All(p => p.Name != required.Name) && !exportedDefaults(call.Name, required.Name))
            {
                Diagnostics.Error(call.Location, $"{key} needs '{required.Name}' (on the task, or as a default in _export: {{{call.Name}: {{{required.Name}: ...}}}})");
            }
        }
    }

    /// <summary>
    /// Checks the operator defaults of an <c>_export</c> (<c>_export: {http: {timeout: 60}}</c>):
    /// a known option must have its type; an unknown key is only a warning, since a param may
    /// happen to share an operator's name.
    /// </summary>
    public void ValidateDefaults(MappingNode export)
    {
        foreach (var entry in export.Entries)
        {
            if (catalog.Find(entry.Name) is not { Options: not null } schema || entry.Value is not MappingNode defaults)
            {
                continue;
            }

            var key = $"{entry.Name}>";
            foreach (var option in defaults.Entries)
            {
                if (schema.FindOption(option.Name) is { } spec)
                {
                    CheckType(key, spec, option.Value);
                }
                else if (!schema.PassesParams)
                {
                    var hint = Suggestions.DidYouMean(option.Name, schema.OptionNames);
                    Diagnostics.Warning(option.Key.Location, $"_export.{entry.Name}.{option.Name} is not an option of {key}{hint}; {key} options are {string.Join(", ", schema.OptionNames)}");
                }
            }
        }
    }

    private void CheckType(string key, OptionSpec option, ConfigNode value)
    {
        if (ValueReader.Template(value) is not null)
        {
            return;
        }

        var name = $"{key} {option.Name}";
        switch (option.Type)
        {
            case OptionType.String when value is not ScalarNode { IsNull: false }:
                Diagnostics.Error(value.Location, $"{name}: expected a string, got {ValueReader.Show(value)}");
                break;
            case OptionType.String when option.Values is { } values && !values.Contains(((ScalarNode)value).Value):
                var text = ((ScalarNode)value).Value;
                Diagnostics.Error(value.Location, $"{name}: expected one of {string.Join(", ", values)}, got '{text}'{Suggestions.DidYouMean(text, values)}");
                break;
            case OptionType.Boolean:
                reader.Boolean(name, value);
                break;
            case OptionType.Integer:
                reader.Integer(name, value, 0);
                break;
            case OptionType.Duration when !IsDuration(value):
                Diagnostics.Error(value.Location, $"{name}: expected seconds (e.g. 30) or a duration such as 2m, got {ValueReader.Show(value)}");
                break;
            case OptionType.Mapping:
                reader.Mapping(name, value);
                break;
            case OptionType.Pairs when value is not (MappingNode or SequenceNode):
                Diagnostics.Error(value.Location, $"{name}: expected a list of single-key maps (e.g. '- Accept: application/json') or a mapping, got {ValueReader.Show(value)}");
                break;
            case OptionType.StringOrList:
                CheckStrings(name, option, value);
                break;
            case OptionType.Targets:
                CheckTargets(name, option, value);
                break;
            case OptionType.MappingList:
                CheckMappingList(name, value);
                break;
        }
    }

    private void CheckStrings(string name, OptionSpec option, ConfigNode value)
    {
        IEnumerable<ConfigNode> items = value is SequenceNode list ? list.Items : [value];
        foreach (var item in items)
        {
            if (item is not ScalarNode { IsNull: false } scalar)
            {
                Diagnostics.Error(item.Location, $"{name}: expected a string or a list of strings, got {ValueReader.Show(item)}");
            }
            else if (option.Values is { } values && !TemplateText.ContainsTemplate(scalar.Value) && !values.Contains(scalar.Value))
            {
                Diagnostics.Error(item.Location, $"{name}: expected {string.Join(" or ", values)}, got '{scalar.Value}'{Suggestions.DidYouMean(scalar.Value, values)}");
            }
        }
    }

    private void CheckTargets(string name, OptionSpec option, ConfigNode value)
    {
        IEnumerable<ConfigNode> items = value is SequenceNode list ? list.Items : [value];
        foreach (var item in items)
        {
            switch (item)
            {
                case ScalarNode { IsNull: false } scalar when TemplateText.ContainsTemplate(scalar.Value)
                    || (Uri.TryCreate(scalar.Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"):
                    break;
                case MappingNode mapping when option.Name == "webhook":
                    if (mapping.Find("url") is null)
                    {
                        Diagnostics.Error(mapping.Location, $"{name}: a webhook mapping needs 'url'");
                    }

                    foreach (var entry in mapping.Entries.Where(e => e.Name is not ("url" or "headers")))
                    {
                        Diagnostics.Error(entry.Key.Location, $"{name}: unknown key '{entry.Name}'{Suggestions.DidYouMean(entry.Name, ["url", "headers"])}; a webhook is url and headers");
                    }

                    break;
                default:
                    Diagnostics.Error(item.Location, $"{name}: expected an http(s) URL (usually ${{secret:...}}){(option.Name == "webhook" ? ", a mapping with url and headers," : string.Empty)} or a list of them, got {ValueReader.Show(item)}");
                    break;
            }
        }
    }

    private void CheckMappingList(string name, ConfigNode value)
    {
        if (value is not SequenceNode list)
        {
            Diagnostics.Error(value.Location, $"{name}: expected a list of {{path, filename, content_type}}, got {ValueReader.Show(value)}");
            return;
        }

        string[] keys = ["path", "filename", "content_type"];
        foreach (var item in list.Items)
        {
            if (item is not MappingNode mapping)
            {
                Diagnostics.Error(item.Location, $"{name}: each file is a mapping with path (and optionally filename, content_type), got {ValueReader.Show(item)}");
                continue;
            }

            if (mapping.Find("path") is null)
            {
                Diagnostics.Error(mapping.Location, $"{name}: a file needs 'path'");
            }

            foreach (var entry in mapping.Entries.Where(e => !keys.Contains(e.Name)))
            {
                Diagnostics.Error(entry.Key.Location, $"{name}: unknown key '{entry.Name}'{Suggestions.DidYouMean(entry.Name, keys)}; a file is path, filename, content_type");
            }
        }
    }

    private static bool IsDuration(ConfigNode value) =>
        value is ScalarNode { IsNull: false } scalar && (scalar.TryGetNumber(out var seconds) ? seconds > 0 : DurationText.TryParse(scalar.Value, out _));

    /// <summary>Names read by the templates of the task's own keys (a local param they use is not an unknown option).</summary>
    private static HashSet<string> ReferencedNames(MappingNode config)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Collect(config);
        return names;

        void Collect(ConfigNode node)
        {
            switch (node)
            {
                case ScalarNode scalar when TemplateText.ContainsTemplate(scalar.Value):
                    foreach (Match match in Identifier().Matches(scalar.Value))
                    {
                        names.Add(match.Value);
                    }

                    break;
                case MappingNode mapping:
                    foreach (var entry in mapping.Entries)
                    {
                        Collect(entry.Value);
                    }

                    break;
                case SequenceNode sequence:
                    foreach (var item in sequence.Items)
                    {
                        Collect(item);
                    }

                    break;
            }
        }
    }

    [GeneratedRegex(@"[A-Za-z_$][A-Za-z0-9_$]*")]
    private static partial Regex Identifier();
}
