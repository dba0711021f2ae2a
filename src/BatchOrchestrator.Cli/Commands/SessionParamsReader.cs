using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// Session params from the command line: <c>--params-file f.yml|f.json</c> first, then each
/// <c>-p key=value</c> over it. Values are typed the way YAML types a plain scalar (<c>3</c> is a
/// number, <c>true</c> a boolean, <c>null</c> null, anything else a string), as in Digdag.
/// </summary>
public static class SessionParamsReader
{
    public static async Task<JsonObject> ReadAsync(IReadOnlyList<string> assignments, string? paramsFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var result = paramsFile is null ? [] : await ReadFileAsync(paramsFile, cancellationToken);
        foreach (var assignment in assignments)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UserError($"-p '{assignment}': expected key=value", 2);
            }

            var value = new ScalarNode(assignment[(equals + 1)..], ScalarStyle.Plain, SourceLocation.None).ToJson();
            result[assignment[..equals].Trim()] = JsonNode.Parse(value.GetRawText());
        }

        return result;
    }

    private static async Task<JsonObject> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new UserError($"--params-file {path}: no such file", 2);
        }

        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken)) as JsonObject
                    ?? throw new UserError($"{path}: expected a JSON object of params");
            }
            catch (JsonException e)
            {
                throw new UserError($"{path}:{e.LineNumber + 1}:{e.BytePositionInLine + 1}: not valid JSON: {e.Message}");
            }
        }

        var diagnostics = new DiagnosticBag();
        var tree = await new WorkflowYamlReader(new LocalWorkflowFiles()).ReadAsync(path, diagnostics, cancellationToken);
        if (diagnostics.HasErrors || tree is null)
        {
            throw new UserError(string.Join(Environment.NewLine, diagnostics.Sorted().Where(d => d.IsError)));
        }

        return JsonNode.Parse(tree.ToJson().GetRawText()) as JsonObject
            ?? throw new UserError($"{path}: expected a mapping of params (key: value)");
    }
}
