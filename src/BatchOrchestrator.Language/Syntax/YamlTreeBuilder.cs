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
    private readonly Dictionary<string, (ConfigNode Node, long Size, int Depth)> _anchors = new(StringComparer.Ordinal);

    // The collections being filled, innermost on top. A field, not a local, so that an error
    // can be reported at the collection left open (an unclosed '[' is the usual culprit).
    private readonly Stack<Frame> _stack = new();
    private long _nodeCount;
    private int _maxDepth;
    private bool _hasIncludes;
    private ParsingEvent? _lastEvent;

    private YamlTreeBuilder(string path, YamlLimits limits, DiagnosticBag diagnostics)
    {
        _path = path;
        _limits = limits;
        _diagnostics = diagnostics;
    }

    /// <summary>Decodes and parses a file's bytes; null (with diagnostics) when it is not a usable YAML document.</summary>
    public static ParsedYaml? Build(byte[] bytes, string path, YamlLimits limits, DiagnosticBag diagnostics)
    {
        if (!TryDecode(bytes, path, diagnostics, out var text))
        {
            return null;
        }

        return new YamlTreeBuilder(path, limits, diagnostics).Parse(text);
    }

    public static ParsedYaml? Build(string text, string path, YamlLimits limits, DiagnosticBag diagnostics) =>
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

    private ParsedYaml? Parse(string text)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            var root = ParseDocument(parser);
            return root is null ? null : new ParsedYaml(root, _maxDepth, _nodeCount, _hasIncludes);
        }
        catch (YamlException ex)
        {
            var tab = FindTabIndentation(ex, text);
            _diagnostics.Error(tab ?? Location(ex.Start), tab is null ? Describe(ex) : TabMessage);
            return null;
        }
        catch (LimitExceeded)
        {
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner throws these, instead of a YamlException, on some broken
            // inputs (an unclosed flow collection followed by block lines, for one). A user's
            // typo must never crash a check, so it is reported like any syntax error.
            _diagnostics.Error(UnreadableAt(), UnreadableMessage());
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

        // A workflow has a mapping per task, so a frame allocates only what its kind needs, and a
        // mapping indexes its keys only once a linear scan would cost more than the index.
        private const int IndexKeysFrom = 8;
        private List<ConfigEntry>? _entries;
        private List<ConfigNode>? _items;
        private Dictionary<string, ScalarNode>? _keys;

        public List<ConfigEntry> Entries => _entries ??= [];

        public List<ConfigNode> Items => _items ??= [];

        /// <summary>The earlier key with this name (<c>!include</c> keys aside, which may repeat), or null.</summary>
        public ScalarNode? FindKey(string name)
        {
            if (_keys is not null)
            {
                return _keys.GetValueOrDefault(name);
            }

            foreach (var entry in Entries)
            {
                if (entry.Key.Tag != IncludeTag && entry.Key.Value == name)
                {
                    return entry.Key;
                }
            }

            return null;
        }

        public void Add(ConfigEntry entry)
        {
            Entries.Add(entry);
            if (_keys is null && Entries.Count >= IndexKeysFrom)
            {
                _keys = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
                foreach (var earlier in Entries)
                {
                    if (earlier.Key.Tag != IncludeTag)
                    {
                        _keys[earlier.Key.Value] = earlier.Key;
                    }
                }
            }
            else if (_keys is not null && entry.Key.Tag != IncludeTag)
            {
                _keys[entry.Key.Value] = entry.Key;
            }
        }

        public ScalarNode? PendingKey { get; set; }

        public long StartCount { get; init; }

        /// <summary>The deepest level reached inside this collection (its own level at first).</summary>
        public int Deepest { get; set; }
    }

    private ConfigNode ParseNode(Parser parser)
    {
        var stack = _stack;
        while (true)
        {
            var evt = parser.Current ?? throw new YamlException("unexpected end of the YAML stream");
            _lastEvent = evt;
            ConfigNode? value = null;
            var reached = stack.Count; // the deepest level the value completed here reaches
            switch (evt)
            {
                case Scalar scalar:
                    parser.MoveNext();
                    value = MakeScalar(scalar);
                    Count(1, scalar.Start);
                    Remember(scalar.Anchor, value, 1, 0);
                    break;
                case AnchorAlias alias:
                    parser.MoveNext();
                    if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                    {
                        throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} refers to no anchor defined before it");
                    }

                    Count(anchored.Size, alias.Start);
                    if (stack.Count + anchored.Depth > _limits.MaxDepth)
                    {
                        _diagnostics.Error(Location(alias.Start), $"nesting is deeper than {_limits.MaxDepth} levels once *{alias.Value.Value} is expanded; flatten the workflow");
                        throw new LimitExceeded();
                    }

                    reached = stack.Count + anchored.Depth;
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
                    stack.Push(new Frame(evt, evt is MappingStart) { StartCount = _nodeCount, Deepest = stack.Count + 1 });
                    continue;
                case MappingEnd or SequenceEnd:
                    parser.MoveNext();
                    var frame = stack.Pop();
                    value = frame.IsMapping
                        ? new MappingNode(frame.Entries, Location(frame.Start.Start))
                        : new SequenceNode(frame.Items, Location(frame.Start.Start));
                    // An anchored collection's depth is its own nesting, wherever it is used again.
                    reached = frame.Deepest;
                    Remember(((NodeEvent)frame.Start).Anchor, value, _nodeCount - frame.StartCount + 1, frame.Deepest - stack.Count);
                    break;
                default:
                    throw new YamlException(evt.Start, evt.End, $"unexpected YAML event {evt.GetType().Name}");
            }

            _maxDepth = Math.Max(_maxDepth, reached);
            if (stack.Count == 0)
            {
                return value!;
            }

            stack.Peek().Deepest = Math.Max(stack.Peek().Deepest, reached);
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
            if (parent.FindKey(pending.Value) is { } first)
            {
                _diagnostics.Error(pending.Location, $"duplicate key '{pending.Value}' (first defined at line {first.Location.Line}); each key may appear once in a mapping");
                return;
            }
        }

        parent.Add(new ConfigEntry(pending, value));
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
        _hasIncludes |= tag == IncludeTag;
        return new ScalarNode(scalar.Value, style, Location(scalar.Start)) { Tag = tag };
    }

    private void Remember(AnchorName anchor, ConfigNode node, long size, int depth)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = (node, size, depth);
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

    private const string TabMessage = "tab character used for indentation; YAML allows only spaces — replace the tabs with spaces";

    private static string Describe(YamlException ex)
    {
        var message = LocationPrefix().Replace(ex.Message, string.Empty).Trim().TrimEnd('.');
        if (message.Length > 0 && char.IsUpper(message[0]))
        {
            message = char.ToLowerInvariant(message[0]) + message[1..];
        }

        // YamlDotNet's wording names the parser state, not the likely mistake; add the usual cause.
        var hint = message switch
        {
            _ when message.Contains("quoted scalar", StringComparison.Ordinal) => " (is a closing quote missing?)",
            _ when message.Contains("did not find expected key", StringComparison.Ordinal) =>
                " (each line of a mapping is 'key: value', indented like the keys above it)",
            _ when message.Contains("found invalid mapping", StringComparison.Ordinal) =>
                " (a 'key:' continues the value above it; is this line indented too far?)",
            _ when message.Contains("did not find expected ',' or ']'", StringComparison.Ordinal) => " (is a ']' missing?)",
            _ when message.Contains("did not find expected ',' or '}'", StringComparison.Ordinal) => " (is a '}' missing?)",
            _ => string.Empty,
        };
        return $"invalid YAML: {message}{hint}";
    }

    /// <summary>
    /// Where a tab indents a line, when that is what the error is about. YamlDotNet often marks
    /// the start of the enclosing mapping rather than the tab, so the tab itself is looked for:
    /// near the error mark, then (when the message names a tab) from the last value read onwards.
    /// A tab inside a block scalar (<c>sh>: |</c>) is content and is skipped when possible.
    /// </summary>
    private SourceLocation? FindTabIndentation(YamlException ex, string text)
    {
        var lines = text.Split('\n');
        var markLine = (int)ex.Start.Line - 1;
        foreach (var index in new[] { markLine, markLine - 1, markLine + 1 })
        {
            if (TabColumn(lines, index) is { } column)
            {
                return new SourceLocation(_path, index + 1, column);
            }
        }

        if (!ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var from = _lastEvent is null ? 0 : Math.Max((int)_lastEvent.Start.Line - 1, 0);
        for (var index = from; index < lines.Length; index++)
        {
            if (TabColumn(lines, index) is { } column)
            {
                return new SourceLocation(_path, index + 1, column);
            }
        }

        for (var index = 0; index < from && index < lines.Length; index++)
        {
            if (TabColumn(lines, index) is { } column)
            {
                return new SourceLocation(_path, index + 1, column);
            }
        }

        return null;
    }

    /// <summary>The 1-based column of the first tab in a line's leading whitespace, or null.</summary>
    private static int? TabColumn(string[] lines, int index)
    {
        if (index < 0 || index >= lines.Length)
        {
            return null;
        }

        var line = lines[index];
        for (var i = 0; i < line.Length && line[i] is ' ' or '\t'; i++)
        {
            if (line[i] == '\t')
            {
                return i + 1;
            }
        }

        return null;
    }

    /// <summary>Where to report an input YamlDotNet could not read: the innermost open flow collection, else the last value read.</summary>
    private SourceLocation UnreadableAt()
    {
        foreach (var frame in _stack)
        {
            if (IsFlow(frame.Start))
            {
                return Location(frame.Start.Start);
            }
        }

        return _lastEvent is null ? new SourceLocation(_path, 1, 1) : Location(_lastEvent.End);
    }

    private string UnreadableMessage()
    {
        foreach (var frame in _stack)
        {
            if (IsFlow(frame.Start))
            {
                var (open, close) = frame.IsMapping ? ('{', '}') : ('[', ']');
                return $"invalid YAML: the '{open}' here is never closed with '{close}' (a flow {(frame.IsMapping ? "mapping" : "list")} must end before the lines that follow it)";
            }
        }

        return "invalid YAML: the YAML reader cannot make sense of the text after this point";
    }

    private static bool IsFlow(ParsingEvent start) => start switch
    {
        MappingStart mapping => mapping.Style == MappingStyle.Flow,
        SequenceStart sequence => sequence.Style == SequenceStyle.Flow,
        _ => false,
    };

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefix();

    /// <summary>Stops the build once a limit is reported; never escapes this class.</summary>
    private sealed class LimitExceeded : Exception;
}
