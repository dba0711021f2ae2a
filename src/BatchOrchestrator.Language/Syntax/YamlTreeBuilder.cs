using System.Text;
using System.Text.RegularExpressions;
using BatchOrchestrator.Language.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace BatchOrchestrator.Language.Syntax;

/// <summary>
/// Turns one file's text into a positioned <see cref="ConfigNode"/> tree from YamlDotNet's event
/// stream. Works with an explicit stack (no recursion), so nesting depth costs heap, not stack,
/// and every limit in <see cref="YamlLimits"/> is enforced while reading.
/// <c>!include</c> is left in the tree as a tagged scalar for <see cref="WorkflowYamlReader"/> to resolve.
/// </summary>
internal sealed partial class YamlTreeBuilder
{
    public const string IncludeTag = "!include";

    private readonly string _path;
    private readonly YamlLimits _limits;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, (ConfigNode Node, long Size)> _anchors = new(StringComparer.Ordinal);
    private long _nodeCount;

    private YamlTreeBuilder(string path, YamlLimits limits, DiagnosticBag diagnostics)
    {
        _path = path;
        _limits = limits;
        _diagnostics = diagnostics;
    }

    /// <summary>Decodes and parses a file's bytes; null (with diagnostics) when it is not a usable YAML document.</summary>
    public static ConfigNode? Build(byte[] bytes, string path, YamlLimits limits, DiagnosticBag diagnostics)
    {
        if (!TryDecode(bytes, path, diagnostics, out var text))
        {
            return null;
        }

        return new YamlTreeBuilder(path, limits, diagnostics).Parse(text);
    }

    public static ConfigNode? Build(string text, string path, YamlLimits limits, DiagnosticBag diagnostics) =>
        new YamlTreeBuilder(path, limits, diagnostics).Parse(text);

    private static bool TryDecode(byte[] bytes, string path, DiagnosticBag diagnostics, out string text)
    {
        text = string.Empty;
        var offset = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
                .GetString(bytes, offset, bytes.Length - offset);
            return true;
        }
        catch (DecoderFallbackException ex)
        {
            var badIndex = offset + Math.Max(ex.Index, 0);
            var (line, column) = LineAndColumnOfByte(bytes, offset, badIndex);
            diagnostics.Error(
                new SourceLocation(path, line, column),
                $"the file is not valid UTF-8 (byte 0x{bytes[Math.Min(badIndex, bytes.Length - 1)]:X2}); save workflow files as UTF-8");
            return false;
        }
    }

    private static (int Line, int Column) LineAndColumnOfByte(byte[] bytes, int start, int index)
    {
        var line = 1;
        var column = 1;
        for (var i = start; i < index && i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                column = 1;
            }
            else if ((bytes[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return (line, column);
    }

    private ConfigNode? Parse(string text)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            return ParseDocument(parser);
        }
        catch (YamlException ex)
        {
            _diagnostics.Error(Location(ex.Start), Describe(ex, text));
            return null;
        }
        catch (LimitExceeded)
        {
            return null;
        }
    }

    private ConfigNode? ParseDocument(Parser parser)
    {
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        var root = ParseNode(parser);
        parser.Consume<DocumentEnd>();
        if (!parser.Accept<StreamEnd>(out _))
        {
            var next = parser.Current!;
            _diagnostics.Error(Location(next.Start), "a workflow file holds one YAML document; remove the second '---' document");
            return null;
        }

        return root;
    }

    /// <summary>A frame of the explicit parse stack: a mapping or list being filled.</summary>
    private sealed class Frame(ParsingEvent start, bool isMapping)
    {
        public ParsingEvent Start { get; } = start;

        public bool IsMapping { get; } = isMapping;

        public List<ConfigEntry> Entries { get; } = [];

        public List<ConfigNode> Items { get; } = [];

        public Dictionary<string, ScalarNode> Keys { get; } = new(StringComparer.Ordinal);

        public ScalarNode? PendingKey { get; set; }

        public long StartCount { get; init; }
    }

    private ConfigNode ParseNode(Parser parser)
    {
        var stack = new Stack<Frame>();
        while (true)
        {
            var evt = parser.Current ?? throw new YamlException("unexpected end of the YAML stream");
            ConfigNode? value = null;
            switch (evt)
            {
                case Scalar scalar:
                    parser.MoveNext();
                    value = MakeScalar(scalar);
                    Count(1, scalar.Start);
                    Remember(scalar.Anchor, value, 1);
                    break;
                case AnchorAlias alias:
                    parser.MoveNext();
                    if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                    {
                        throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} refers to no anchor defined before it");
                    }

                    Count(anchored.Size, alias.Start);
                    value = anchored.Node;
                    break;
                case MappingStart or SequenceStart:
                    parser.MoveNext();
                    if (stack.Count >= _limits.MaxDepth)
                    {
                        _diagnostics.Error(Location(evt.Start), $"nesting is deeper than {_limits.MaxDepth} levels; flatten the workflow (or split it with !include)");
                        throw new LimitExceeded();
                    }

                    Count(1, evt.Start);
                    stack.Push(new Frame(evt, evt is MappingStart) { StartCount = _nodeCount });
                    continue;
                case MappingEnd or SequenceEnd:
                    parser.MoveNext();
                    var frame = stack.Pop();
                    value = frame.IsMapping
                        ? new MappingNode(frame.Entries, Location(frame.Start.Start))
                        : new SequenceNode(frame.Items, Location(frame.Start.Start));
                    Remember(((NodeEvent)frame.Start).Anchor, value, _nodeCount - frame.StartCount + 1);
                    break;
                default:
                    throw new YamlException(evt.Start, evt.End, $"unexpected YAML event {evt.GetType().Name}");
            }

            if (stack.Count == 0)
            {
                return value!;
            }

            AddToParent(stack.Peek(), value!);
        }
    }

    private void AddToParent(Frame parent, ConfigNode value)
    {
        if (!parent.IsMapping)
        {
            parent.Items.Add(value);
            return;
        }

        if (parent.PendingKey is null)
        {
            if (value is not ScalarNode key)
            {
                _diagnostics.Error(value.Location, $"a mapping key must be a plain word, not a {value.KindName}");
                parent.PendingKey = new ScalarNode("?", ScalarStyle.Plain, value.Location);
                return;
            }

            parent.PendingKey = key;
            return;
        }

        var pending = parent.PendingKey;
        parent.PendingKey = null;
        if (pending.Tag != IncludeTag)
        {
            if (parent.Keys.TryGetValue(pending.Value, out var first))
            {
                _diagnostics.Error(pending.Location, $"duplicate key '{pending.Value}' (first defined at line {first.Location.Line}); each key may appear once in a mapping");
                return;
            }

            parent.Keys[pending.Value] = pending;
        }

        parent.Entries.Add(new ConfigEntry(pending, value));
    }

    private ScalarNode MakeScalar(Scalar scalar)
    {
        var style = scalar.Style switch
        {
            YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted => ScalarStyle.Quoted,
            YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded => ScalarStyle.Block,
            _ => ScalarStyle.Plain,
        };
        var tag = scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific ? null : scalar.Tag.Value;
        return new ScalarNode(scalar.Value, style, Location(scalar.Start)) { Tag = tag };
    }

    private void Remember(AnchorName anchor, ConfigNode node, long size)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = (node, size);
        }
    }

    private void Count(long nodes, Mark at)
    {
        _nodeCount += nodes;
        if (_nodeCount > _limits.MaxNodes)
        {
            _diagnostics.Error(Location(at), $"the document expands to more than {_limits.MaxNodes:N0} values (YAML aliases repeating aliases?); refusing to expand it");
            throw new LimitExceeded();
        }
    }

    private SourceLocation Location(Mark mark) => new(_path, (int)Math.Max(mark.Line, 1), (int)Math.Max(mark.Column, 1));

    private static string Describe(YamlException ex, string text)
    {
        if (IsTabIndentation(ex.Start, text))
        {
            return "tab character used for indentation; YAML allows only spaces — replace the tabs with spaces";
        }

        var message = LocationPrefix().Replace(ex.Message, string.Empty).Trim();
        if (message.Length > 0 && char.IsUpper(message[0]))
        {
            message = char.ToLowerInvariant(message[0]) + message[1..];
        }

        return $"invalid YAML: {message.TrimEnd('.')}";
    }

    private static bool IsTabIndentation(Mark mark, string text)
    {
        var lines = text.Split('\n');
        var lineIndex = (int)mark.Line - 1;
        foreach (var index in new[] { lineIndex, lineIndex - 1, lineIndex + 1 })
        {
            if (index < 0 || index >= lines.Length)
            {
                continue;
            }

            var line = lines[index];
            var indent = line.Length - line.TrimStart(' ', '\t').Length;
            if (line[..indent].Contains('\t', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefix();

    /// <summary>Stops the build once a limit is reported; never escapes this class.</summary>
    private sealed class LimitExceeded : Exception;
}
