using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Deploy.Tests.Arm;

/// <summary>
/// An ARM template language expression, the text between a JSON string's outer brackets
/// (<c>"[format('rg-{0}', parameters('environmentName'))]"</c>): function calls, string and
/// integer literals, <c>.property</c> and <c>[index]</c> access. What <c>bicep build</c> emits.
/// </summary>
internal abstract record ArmExpression
{
    /// <summary>Whether a JSON string is an expression: <c>[...]</c>, but not <c>[[...</c> (an escaped literal bracket).</summary>
    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    /// <summary>The literal a non-expression JSON string stands for (<c>[[x]</c> is <c>[x]</c>).</summary>
    public static string Unescape(string text) => text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text;

    /// <summary>Parses the text of a JSON string that <see cref="IsExpression"/>.</summary>
    public static ArmExpression Parse(string text)
    {
        var parser = new Parser(text[1..^1]);
        var expression = parser.Expression();
        parser.End();
        return expression;
    }

    private sealed class Parser(string text)
    {
        private int _at;

        public ArmExpression Expression()
        {
            var expression = Primary();
            while (true)
            {
                SkipSpace();
                if (TryTake('.'))
                {
                    expression = new ArmMember(expression, Identifier());
                }
                else if (TryTake('['))
                {
                    var index = Expression();
                    Take(']');
                    expression = new ArmIndex(expression, index);
                }
                else
                {
                    return expression;
                }
            }
        }

        public void End()
        {
            SkipSpace();
            if (_at != text.Length)
            {
                throw Error("end of expression");
            }
        }

        private ArmExpression Primary()
        {
            SkipSpace();
            if (_at >= text.Length)
            {
                throw Error("a value");
            }

            var c = text[_at];
            if (c == '\'')
            {
                return new ArmLiteral(JsonValue.Create(StringLiteral()));
            }

            if (char.IsDigit(c) || c == '-')
            {
                var start = _at++;
                while (_at < text.Length && char.IsDigit(text[_at]))
                {
                    _at++;
                }

                return new ArmLiteral(JsonValue.Create(long.Parse(text[start.._at], CultureInfo.InvariantCulture)));
            }

            var name = Identifier();
            SkipSpace();
            if (!TryTake('('))
            {
                return name switch
                {
                    "true" => new ArmLiteral(JsonValue.Create(true)),
                    "false" => new ArmLiteral(JsonValue.Create(false)),
                    "null" => new ArmLiteral(null),
                    _ => throw Error($"'(' after {name}"),
                };
            }

            var arguments = new List<ArmExpression>();
            SkipSpace();
            if (!TryTake(')'))
            {
                do
                {
                    arguments.Add(Expression());
                    SkipSpace();
                }
                while (TryTake(','));
                Take(')');
            }

            return new ArmCall(name, arguments);
        }

        private string StringLiteral()
        {
            Take('\'');
            var value = new StringBuilder();
            while (true)
            {
                if (_at >= text.Length)
                {
                    throw Error("the end of a string");
                }

                if (text[_at] == '\'')
                {
                    // '' inside a string is one quote.
                    if (_at + 1 < text.Length && text[_at + 1] == '\'')
                    {
                        value.Append('\'');
                        _at += 2;
                        continue;
                    }

                    _at++;
                    return value.ToString();
                }

                value.Append(text[_at++]);
            }
        }

        private string Identifier()
        {
            SkipSpace();
            var start = _at;
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] is '_' or '$'))
            {
                _at++;
            }

            return _at > start ? text[start.._at] : throw Error("a name");
        }

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private bool TryTake(char c)
        {
            SkipSpace();
            if (_at < text.Length && text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        private void Take(char c)
        {
            if (!TryTake(c))
            {
                throw Error($"'{c}'");
            }
        }

        private FormatException Error(string expected) =>
            new($"ARM expression [{text}]: expected {expected} at column {_at + 1}.");
    }
}

internal sealed record ArmLiteral(JsonNode? Value) : ArmExpression;

internal sealed record ArmCall(string Name, IReadOnlyList<ArmExpression> Arguments) : ArmExpression;

internal sealed record ArmMember(ArmExpression Target, string Name) : ArmExpression;

internal sealed record ArmIndex(ArmExpression Target, ArmExpression Index) : ArmExpression;
