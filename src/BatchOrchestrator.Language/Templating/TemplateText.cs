using System.Collections.Immutable;
using System.Text;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// The lexical rules of <c>${...}</c> templates, without evaluating anything:
/// <list type="bullet">
/// <item><c>$$</c> is a literal <c>$</c>, so <c>$${x}</c> is the text <c>${x}</c>;</item>
/// <item><c>${</c> opens an expression that ends at the matching <c>}</c> (braces inside JavaScript
/// string literals do not count);</item>
/// <item><c>${word:...}</c> with a lowercase word (e.g. <c>${secret:key}</c>) is an operator template, kept as written;</item>
/// <item>a <c>${</c> without a matching <c>}</c> is kept as literal text, as Digdag does.</item>
/// </list>
/// </summary>
public static class TemplateText
{
    /// <summary>Splits <paramref name="text"/> into segments. Never throws for any input.</summary>
    public static ParsedTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = ImmutableArray.CreateBuilder<TemplateSegment>();
        var literal = new StringBuilder();
        var unterminatedAt = -1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '$' && i + 1 < text.Length && text[i + 1] == '$')
            {
                literal.Append('$');
                i += 2;
                continue;
            }

            if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = FindClosingBrace(text, i + 2);
                if (close < 0)
                {
                    unterminatedAt = i;
                    literal.Append(text, i, text.Length - i);
                    break;
                }

                if (literal.Length > 0)
                {
                    segments.Add(new LiteralSegment(literal.ToString()));
                    literal.Clear();
                }

                var body = text[(i + 2)..close];
                segments.Add((TemplateSegment?)TryOperatorTemplate(body) ?? new ExpressionSegment(body, i));
                i = close + 1;
                continue;
            }

            literal.Append(c);
            i++;
        }

        if (literal.Length > 0)
        {
            segments.Add(new LiteralSegment(literal.ToString()));
        }

        return new ParsedTemplate(text, segments.ToImmutable(), unterminatedAt);
    }

    /// <summary>
    /// True when <paramref name="text"/> holds an unescaped, terminated <c>${...}</c> — an expression or an
    /// operator template such as <c>${secret:x}</c> — so its value is not known until run time.
    /// Validation uses it: <c>loop&gt;: abc</c> is an error, <c>loop&gt;: ${n}</c> is not.
    /// </summary>
    public static bool ContainsTemplate(string? text) =>
        text is not null && text.Contains("${", StringComparison.Ordinal) && Parse(text).Segments.Any(s => s is not LiteralSegment);

    /// <summary>The keys of every <c>${secret:key}</c> in <paramref name="text"/>, trimmed, in order, without duplicates.</summary>
    public static IReadOnlyList<string> SecretKeys(string? text)
    {
        if (text is null || !text.Contains("${secret:", StringComparison.Ordinal))
        {
            return [];
        }

        return Parse(text).Segments.OfType<OperatorTemplateSegment>()
            .Where(s => s.Kind == "secret")
            .Select(s => s.Argument.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static OperatorTemplateSegment? TryOperatorTemplate(string body)
    {
        var j = 0;
        while (j < body.Length && body[j] is >= 'a' and <= 'z')
        {
            j++;
        }

        return j > 0 && j < body.Length && body[j] == ':' ? new OperatorTemplateSegment(body[..j], body[(j + 1)..]) : null;
    }

    // Counts nested braces, skipping over '...' and "..." string literals with backslash escapes.
    private static int FindClosingBrace(string text, int start)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\'' or '"':
                    var quote = text[i];
                    for (i++; i < text.Length && text[i] != quote; i++)
                    {
                        if (text[i] == '\\')
                        {
                            i++;
                        }
                    }

                    if (i >= text.Length)
                    {
                        return -1;
                    }

                    break;
                case '{':
                    depth++;
                    break;
                case '}' when depth == 0:
                    return i;
                case '}':
                    depth--;
                    break;
            }
        }

        return -1;
    }
}
