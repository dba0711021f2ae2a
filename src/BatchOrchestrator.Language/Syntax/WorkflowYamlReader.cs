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
        var read = new ReadState(diagnostics);
        var parsed = await LoadOneAsync(path, new SourceLocation(path, 0, 0), read, cancellationToken);
        return parsed is null ? null : await ResolveRootAsync(parsed, path, read, cancellationToken);
    }

    /// <summary>Parses text that is not on disk (tests, uploads); includes resolve through the file source.</summary>
    public async Task<ConfigNode?> ReadTextAsync(string text, string displayPath, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        // An upload gets the same size limit as a file on disk.
        var size = System.Text.Encoding.UTF8.GetByteCount(text);
        if (size > _limits.MaxFileBytes)
        {
            ReportTooLarge(displayPath, size, diagnostics);
            return null;
        }

        var read = new ReadState(diagnostics);
        var parsed = YamlTreeBuilder.Build(text, displayPath, _limits, diagnostics);
        ReportIfEmpty(parsed, displayPath, diagnostics);
        return parsed is null ? null : await ResolveRootAsync(parsed, displayPath, read, cancellationToken);
    }

    /// <summary>What one read shares across its files: every file parsed once, and one budget for the whole workflow.</summary>
    private sealed class ReadState(DiagnosticBag diagnostics)
    {
        public DiagnosticBag Diagnostics { get; } = diagnostics;

        /// <summary>Files already parsed (null when they failed), by full path: a file included ten times is read once.</summary>
        public Dictionary<string, ParsedYaml?> Files { get; } = new(StringComparer.Ordinal);

        /// <summary>Values in the workflow so far, counting each splice of an included file.</summary>
        public long Nodes { get; set; }

        /// <summary>Set once a limit is reported, so the rest of the read stops quietly instead of repeating it.</summary>
        public bool LimitReported { get; set; }
    }

    private async Task<ConfigNode?> ResolveRootAsync(ParsedYaml parsed, string path, ReadState read, CancellationToken cancellationToken)
    {
        read.Nodes = parsed.Nodes;
        if (!parsed.HasIncludes)
        {
            return parsed.Root;
        }

        var root = await ResolveIncludesAsync(parsed.Root, 0, [path], read, cancellationToken);
        return read.LimitReported ? null : root;
    }

    private async Task<ParsedYaml?> LoadOneAsync(string path, SourceLocation from, ReadState read, CancellationToken cancellationToken)
    {
        var diagnostics = read.Diagnostics;
        long? size;
        byte[] bytes;
        try
        {
            size = await _files.GetSizeAsync(path, cancellationToken);
            bytes = size is null || size > _limits.MaxFileBytes ? [] : await _files.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A FIFO, a device, a folder, no permission: the user's to fix, said where it was named.
            diagnostics.Error(from.IsKnown ? from : new SourceLocation(path, 0, 0), e.Message);
            return null;
        }

        if (size is null)
        {
            diagnostics.Error(from.IsKnown ? from : new SourceLocation(path, 0, 0), $"file not found: {path}");
            return null;
        }

        if (size > _limits.MaxFileBytes)
        {
            ReportTooLarge(path, size.Value, diagnostics);
            return null;
        }

        if (bytes.LongLength > _limits.MaxFileBytes)
        {
            // The file grew between the size check and the read.
            ReportTooLarge(path, bytes.LongLength, diagnostics);
            return null;
        }

        var parsed = YamlTreeBuilder.Build(bytes, path, _limits, diagnostics);
        ReportIfEmpty(parsed, path, diagnostics);
        return parsed;
    }

    private void ReportTooLarge(string path, long size, DiagnosticBag diagnostics) =>
        diagnostics.Error(
            new SourceLocation(path, 1, 1),
            $"the file is {size / (1024.0 * 1024.0):0.0} MB; workflow files are limited to {_limits.MaxFileBytes / (1024.0 * 1024.0):0.#} MB (split it with !include or call>)");

    private static void ReportIfEmpty(ParsedYaml? parsed, string path, DiagnosticBag diagnostics)
    {
        if (parsed is null && !diagnostics.HasErrors)
        {
            diagnostics.Error(new SourceLocation(path, 1, 1), "the file has no content (it is empty or only comments); a workflow is a mapping of tasks, e.g. '+hello:' with 'echo>: hi' under it");
        }
    }

    /// <summary>
    /// Splices includes into <paramref name="node"/>, whose collections start at nesting level
    /// <paramref name="depth"/> + 1. Recursion is bounded: a file's tree is at most
    /// <see cref="YamlLimits.MaxDepth"/> deep, and so is the tree with its includes spliced in.
    /// </summary>
    private async Task<ConfigNode?> ResolveIncludesAsync(ConfigNode node, int depth, List<string> chain, ReadState read, CancellationToken cancellationToken)
    {
        if (read.LimitReported)
        {
            return node;
        }

        switch (node)
        {
            case ScalarNode { Tag: YamlTreeBuilder.IncludeTag } include:
                // key: !include 'file' — the file's root takes the place of this scalar.
                return await IncludeAsync(include, depth, chain, read, cancellationToken);
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
                            read.Diagnostics.Error(entry.Value.Location, $"!include expects a file path, got a {entry.Value.KindName}");
                            continue;
                        }

                        // !include : 'file' — the file's root mapping merges into this mapping, at this level.
                        var included = await IncludeAsync(pathNode, depth, chain, read, cancellationToken);
                        if (included is MappingNode includedMapping)
                        {
                            entries.AddRange(includedMapping.Entries);
                        }
                        else if (included is not null)
                        {
                            read.Diagnostics.Error(pathNode.Location, $"'{pathNode.Value}' is spliced into a mapping, so it must hold a mapping; it holds a {included.KindName}");
                        }

                        continue;
                    }

                    var value = await ResolveIncludesAsync(entry.Value, depth + 1, chain, read, cancellationToken);
                    if (!ReferenceEquals(value, entry.Value))
                    {
                        changed = true;
                    }

                    entries.Add(value is null ? entry : entry with { Value = value });
                }

                return changed ? mapping with { Entries = CheckDuplicates(entries, read.Diagnostics) } : mapping;
            case SequenceNode sequence:
                var items = new List<ConfigNode>(sequence.Items.Count);
                var anyChanged = false;
                foreach (var item in sequence.Items)
                {
                    var value = await ResolveIncludesAsync(item, depth + 1, chain, read, cancellationToken) ?? item;
                    anyChanged |= !ReferenceEquals(value, item);
                    items.Add(value);
                }

                return anyChanged ? sequence with { Items = items } : sequence;
            default:
                return node;
        }
    }

    /// <summary>The included file's tree (resolved), placed so that its root collection is at level <paramref name="depth"/> + 1.</summary>
    private async Task<ConfigNode?> IncludeAsync(ScalarNode pathNode, int depth, List<string> chain, ReadState read, CancellationToken cancellationToken)
    {
        var diagnostics = read.Diagnostics;
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

        if (!read.Files.TryGetValue(normalized, out var loaded))
        {
            loaded = await LoadOneAsync(target, pathNode.Location, read, cancellationToken);
            read.Files[normalized] = loaded;
        }

        if (loaded is null)
        {
            return null;
        }

        // The per-file limits hold for the workflow as a whole: without this, a chain of includes
        // could nest past MaxDepth (and overflow the stack of every recursive pass after this one)
        // and a few files including each other ten times over could expand to billions of tasks.
        if (depth + loaded.Depth > _limits.MaxDepth)
        {
            diagnostics.Error(pathNode.Location, $"with '{pathNode.Value}' included here, nesting is deeper than {_limits.MaxDepth} levels; flatten the workflow or use call>");
            read.LimitReported = true;
            return null;
        }

        read.Nodes += loaded.Nodes;
        if (read.Nodes > _limits.MaxNodes)
        {
            diagnostics.Error(pathNode.Location, $"with '{pathNode.Value}' included here, the workflow expands to more than {_limits.MaxNodes:N0} values (are files included many times over?); refusing to expand it");
            read.LimitReported = true;
            return null;
        }

        if (!loaded.HasIncludes)
        {
            return loaded.Root;
        }

        chain.Add(target);
        try
        {
            return await ResolveIncludesAsync(loaded.Root, depth, chain, read, cancellationToken);
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

    /// <summary>
    /// The path with <c>.</c> and <c>..</c> folded, by its text alone: orchestrator code compiles
    /// workflows too, and may not read the current directory (as <c>Path.GetFullPath</c> would).
    /// </summary>
    private static string Normalize(string path)
    {
        var root = Path.GetPathRoot(path) ?? string.Empty;
        var parts = new List<string>();
        foreach (var part in path[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return root + string.Join(Path.DirectorySeparatorChar, parts);
    }
}
