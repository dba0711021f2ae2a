using BatchOrchestrator.Language.Diagnostics;

namespace BatchOrchestrator.Language.Syntax;

/// <summary>
/// Reads a workflow file into one positioned tree, splicing <c>!include</c>d files in.
/// <c>!include : 'other.dig'</c> as a mapping key splices the other file's mapping into this one
/// at that point; <c>key: !include 'other.dig'</c> uses the file as that key's value. Paths are
/// relative to the including file; a file that includes itself, directly or not, is reported
/// with the whole chain.
/// </summary>
public sealed class WorkflowYamlReader
{
    private readonly IWorkflowFiles _files;
    private readonly YamlLimits _limits;

    public WorkflowYamlReader(IWorkflowFiles files, YamlLimits? limits = null)
    {
        _files = files;
        _limits = limits ?? YamlLimits.Default;
    }

    /// <summary>
    /// The file's tree with includes resolved, or null when it could not be read; every problem
    /// found goes to <paramref name="diagnostics"/>. Never throws for a user's mistake.
    /// </summary>
    public async Task<ConfigNode?> ReadAsync(string path, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var node = await LoadOneAsync(path, new SourceLocation(path, 0, 0), diagnostics, cancellationToken);
        if (node is null)
        {
            return null;
        }

        return await ResolveIncludesAsync(node, [path], diagnostics, cancellationToken);
    }

    /// <summary>Parses text that is not on disk (tests, uploads); includes resolve through the file source.</summary>
    public async Task<ConfigNode?> ReadTextAsync(string text, string displayPath, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var node = YamlTreeBuilder.Build(text, displayPath, _limits, diagnostics);
        return node is null ? null : await ResolveIncludesAsync(node, [displayPath], diagnostics, cancellationToken);
    }

    private async Task<ConfigNode?> LoadOneAsync(string path, SourceLocation from, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        var size = await _files.GetSizeAsync(path, cancellationToken);
        if (size is null)
        {
            diagnostics.Error(from.IsKnown ? from : new SourceLocation(path, 0, 0), $"file not found: {path}");
            return null;
        }

        if (size > _limits.MaxFileBytes)
        {
            diagnostics.Error(
                new SourceLocation(path, 1, 1),
                $"the file is {size.Value / (1024.0 * 1024.0):0.0} MB; workflow files are limited to {_limits.MaxFileBytes / (1024 * 1024)} MB (split it with !include or call>)");
            return null;
        }

        var bytes = await _files.ReadAllBytesAsync(path, cancellationToken);
        var node = YamlTreeBuilder.Build(bytes, path, _limits, diagnostics);
        if (node is null && !diagnostics.HasErrors)
        {
            diagnostics.Error(new SourceLocation(path, 1, 1), "the file is empty; a workflow is a mapping of tasks, e.g. '+hello:' with 'echo>: hi' under it");
        }

        return node;
    }

    private async Task<ConfigNode?> ResolveIncludesAsync(ConfigNode node, List<string> chain, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case ScalarNode { Tag: YamlTreeBuilder.IncludeTag } include:
                return await IncludeAsync(include, chain, diagnostics, cancellationToken);
            case MappingNode mapping:
                var entries = new List<ConfigEntry>(mapping.Entries.Count);
                var changed = false;
                foreach (var entry in mapping.Entries)
                {
                    if (entry.Key.Tag == YamlTreeBuilder.IncludeTag)
                    {
                        changed = true;
                        if (entry.Value is not ScalarNode pathNode)
                        {
                            diagnostics.Error(entry.Value.Location, $"!include expects a file path, got a {entry.Value.KindName}");
                            continue;
                        }

                        var included = await IncludeAsync(pathNode, chain, diagnostics, cancellationToken);
                        if (included is MappingNode includedMapping)
                        {
                            entries.AddRange(includedMapping.Entries);
                        }
                        else if (included is not null)
                        {
                            diagnostics.Error(pathNode.Location, $"'{pathNode.Value}' is spliced into a mapping, so it must hold a mapping; it holds a {included.KindName}");
                        }

                        continue;
                    }

                    var value = await ResolveIncludesAsync(entry.Value, chain, diagnostics, cancellationToken);
                    if (!ReferenceEquals(value, entry.Value))
                    {
                        changed = true;
                    }

                    entries.Add(value is null ? entry : entry with { Value = value });
                }

                return changed ? mapping with { Entries = CheckDuplicates(entries, diagnostics) } : mapping;
            case SequenceNode sequence:
                var items = new List<ConfigNode>(sequence.Items.Count);
                var anyChanged = false;
                foreach (var item in sequence.Items)
                {
                    var value = await ResolveIncludesAsync(item, chain, diagnostics, cancellationToken) ?? item;
                    anyChanged |= !ReferenceEquals(value, item);
                    items.Add(value);
                }

                return anyChanged ? sequence with { Items = items } : sequence;
            default:
                return node;
        }
    }

    private async Task<ConfigNode?> IncludeAsync(ScalarNode pathNode, List<string> chain, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(pathNode.Value))
        {
            diagnostics.Error(pathNode.Location, "!include expects a file path relative to this file, e.g. !include : 'tasks/load.dig'");
            return null;
        }

        var target = _files.ResolveRelative(pathNode.Location.File, pathNode.Value);
        var normalized = Normalize(target);
        var cycleStart = chain.FindIndex(p => Normalize(p) == normalized);
        if (cycleStart >= 0)
        {
            var cycle = string.Join(" -> ", chain.Skip(cycleStart).Append(target));
            diagnostics.Error(pathNode.Location, $"!include cycle: {cycle}");
            return null;
        }

        if (chain.Count > _limits.MaxIncludeDepth)
        {
            diagnostics.Error(pathNode.Location, $"!include nests deeper than {_limits.MaxIncludeDepth} files");
            return null;
        }

        var loaded = await LoadOneAsync(target, pathNode.Location, diagnostics, cancellationToken);
        if (loaded is null)
        {
            return null;
        }

        chain.Add(target);
        try
        {
            return await ResolveIncludesAsync(loaded, chain, diagnostics, cancellationToken);
        }
        finally
        {
            chain.RemoveAt(chain.Count - 1);
        }
    }

    private static List<ConfigEntry> CheckDuplicates(List<ConfigEntry> entries, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, ConfigEntry>(StringComparer.Ordinal);
        var result = new List<ConfigEntry>(entries.Count);
        foreach (var entry in entries)
        {
            if (seen.TryGetValue(entry.Name, out var first))
            {
                diagnostics.Error(entry.Key.Location, $"duplicate key '{entry.Name}' (first defined at {first.Key.Location}); an included file may not redefine a key");
                continue;
            }

            seen[entry.Name] = entry;
            result.Add(entry);
        }

        return result;
    }

    private static string Normalize(string path) => Path.GetFullPath(path);
}
