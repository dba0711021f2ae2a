using System.Text.Json;
using System.Text.RegularExpressions;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Parsing;

/// <summary>
/// Checks an operator's command value where its type is known before run time
/// (<c>loop>: abc</c> is wrong unless it is a template; <c>if>: maybe</c> is wrong).
/// </summary>
internal sealed partial class OperatorCommandValidator(ValueReader reader)
{
    private readonly BlobOptionValidator _blob = new(reader);

    public void Validate(OperatorCall call, TaskDefinition task)
    {
        var key = $"{call.Name}>";
        var command = call.Command;
        if (command is null || command is ScalarNode { IsNull: true })
        {
            // echo>/fail> may be empty; mail> can take its body from the body: option instead.
            if (call.Name is not ("echo" or "fail" or "mail"))
            {
                reader.Diagnostics.Error(call.Location, $"{key} needs a value: {Example(call.Name)}");
            }

            return;
        }

        var isTemplate = ValueReader.Template(command) is not null;
        switch (call.Name)
        {
            case "loop":
                if (!isTemplate)
                {
                    reader.Integer(key, command, 0, " (how many times to run _do) or a ${...} template");
                }

                break;
            case "if":
                if (!isTemplate)
                {
                    reader.Boolean(key, command);
                }

                break;
            case "for_each":
                ValidateForEach(key, command, isTemplate);
                break;
            case "for_range":
                ValidateForRange(key, command, isTemplate);
                break;
            case "wait":
                if (!isTemplate && (command is not ScalarNode scalar || !DurationPattern().IsMatch(scalar.Value)))
                {
                    reader.Diagnostics.Error(command.Location, $"{key} expected a duration such as 10s, 5m or 1h, got {ValueReader.Show(command)}");
                }

                break;
            case "param_get" or "param_set":
                reader.Mapping(key, command);
                break;
            case "mail" when command is MappingNode body:
                // mail>: {data: text} carries the body itself.
                if (body.Find("data") is null || body.Entries.Count != 1)
                {
                    reader.Diagnostics.Error(command.Location, $"{key} expected a body file (mail>: body.txt) or {{data: text}}, got a mapping with {string.Join(", ", body.Entries.Select(e => e.Name))}");
                }

                break;
            case "blob_wait":
                _blob.ValidateWait(command, task);
                break;
            case "blob":
                _blob.ValidateBlob(command, task);
                break;
            case "call" or "require" or "sh" or "py" or "http" or "mail":
                reader.String(key, command);
                break;
        }

        if (TaskKeys.BodyOperators.Contains(call.Name))
        {
            if (task.DoBody is null && (call.Name != "if" || task.ElseDoBody is null))
            {
                reader.Diagnostics.Error(call.Location, $"{key} needs a _do: block with the tasks to run");
            }
        }
    }

    private void ValidateForEach(string key, ConfigNode command, bool isTemplate)
    {
        if (StaticMapping(key, command, isTemplate) is not { } mapping)
        {
            return;
        }

        foreach (var entry in mapping.Entries)
        {
            var ok = entry.Value switch
            {
                SequenceNode => true,
                ScalarNode { IsNull: false } s when TemplateText.ContainsTemplate(s.Value) => true,
                ScalarNode { IsNull: false } s => IsJsonArray(s.Value),
                _ => false,
            };
            if (!ok)
            {
                reader.Diagnostics.Error(entry.Value.Location, $"{key} {entry.Name}: expected a list of values (or a JSON array string), got {ValueReader.Show(entry.Value)}");
            }
        }
    }

    private void ValidateForRange(string key, ConfigNode command, bool isTemplate)
    {
        if (StaticMapping(key, command, isTemplate) is not { } mapping)
        {
            return;
        }

        foreach (var entry in mapping.Entries)
        {
            if (!TaskKeys.ForRangeKeys.Contains(entry.Name))
            {
                reader.Diagnostics.Error(entry.Key.Location, $"{key} unknown option '{entry.Name}'{Diagnostics.Suggestions.DidYouMean(entry.Name, TaskKeys.ForRangeKeys)}; options are from, to, step, slices");
            }
            else if (ValueReader.Template(entry.Value) is null && (entry.Value is not ScalarNode s || !s.TryGetNumber(out _)))
            {
                reader.Diagnostics.Error(entry.Value.Location, $"{key} {entry.Name}: expected a number, got {ValueReader.Show(entry.Value)}");
            }
        }

        foreach (var required in new[] { "from", "to" })
        {
            if (mapping.Find(required) is null)
            {
                reader.Diagnostics.Error(mapping.Location, $"{key} needs '{required}'");
            }
        }

        var hasStep = mapping.Find("step") is not null;
        var hasSlices = mapping.Find("slices") is not null;
        if (hasStep == hasSlices)
        {
            reader.Diagnostics.Error(mapping.Location, $"{key} needs exactly one of 'step' or 'slices'");
        }
    }

    /// <summary>The command as a mapping when it is written out; null when it is a template (decided at run time) or reported as wrong.</summary>
    private MappingNode? StaticMapping(string key, ConfigNode command, bool isTemplate) =>
        isTemplate ? null : reader.Mapping(key, command);

    private static bool IsJsonArray(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Example(string name) => name switch
    {
        "sh" => "sh>: echo hello",
        "py" => "py>: tasks.MyWorkflow.step",
        "http" => "http>: https://example.com/api",
        "call" => "call>: other_workflow",
        "loop" => "loop>: 3",
        "wait" => "wait>: 10s",
        "blob_wait" => "blob_wait>: container/blob-name",
        "blob" => "blob>: copy (or move, delete)",
        _ => $"{name}>: ...",
    };

    [GeneratedRegex(@"^\s*(\d+(\.\d+)?\s*(ms|s|m|h|d)?\s*)+$")]
    private static partial Regex DurationPattern();
}
