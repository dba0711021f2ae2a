using System.Collections.Immutable;
using Acornima;
using Acornima.Ast;
using Jint;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// Parses the text of one <c>${...}</c> as ES5 — the language of Digdag's Nashorn — with Acornima (Jint's
/// parser), prepares it once for Jint, and collects what the engine needs to know before running it.
/// </summary>
internal static class ExpressionAnalyzer
{
    // ES5 exactly: arrow functions, let/const, template literals, classes... are syntax errors here as in
    // Digdag, although the interpreter that runs the prepared script knows them.
    private static readonly ParserOptions Es5 = new() { EcmaVersion = EcmaVersion.ES5 };

    private static readonly ScriptPreparationOptions Preparation = new()
    {
        CollectReferencedGlobals = true,
        // A template's regex runs on short strings once: compiling it to IL would cost more than it saves.
        ParsingOptions = new ScriptParsingOptions { CompileRegex = false },
    };

    /// <summary>The text handed to the parser: parentheses make anything but one expression a syntax error.</summary>
    public static string Wrap(string code) => "(" + code + "\n)";

    public static ExpressionInfo Analyze(string code, TemplateEngineOptions options)
    {
        if (code.Length > options.MaxExpressionLength)
        {
            return Failed(code, $"it is {code.Length} characters long; the limit is {options.MaxExpressionLength}");
        }

        if (NestingDepth(code) > options.MaxNestingDepth)
        {
            return Failed(code, $"brackets are nested deeper than {options.MaxNestingDepth} levels");
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            return Failed(code, "it is empty; write an expression such as ${session_date}, or $${ for a literal '${'");
        }

        Script script;
        try
        {
            script = new Parser(Es5).ParseScript(Wrap(code));
        }
        catch (ParseErrorException ex)
        {
            return Failed(code, Describe(ex));
        }

        if (script.Body is not [ExpressionStatement statement])
        {
            return Failed(code, "it must be a single JavaScript expression, not statements (wrap statements in a function: (function(){ ... })())");
        }

        Prepared<Script> prepared;
        try
        {
            prepared = Engine.PrepareScript(Wrap(code), options: Preparation);
        }
        catch (Exception ex) when (ex is ParseErrorException or JintException)
        {
            // ES5 the parser accepted but Jint does not run (early errors it checks on its own).
            return Failed(code, ex is ParseErrorException parse ? Describe(parse) : ex.Message);
        }

        return new ExpressionInfo(code, FreeVariables(statement.Expression, prepared.ReferencedGlobals), SimplePathOf(statement.Expression), prepared, null);
    }

    private static ExpressionInfo Failed(string code, string reason) => new(code, [], null, null, reason);

    private static string Describe(ParseErrorException ex)
    {
        // The parser numbers lines from the wrapped text; the opening parenthesis shifts column 1 by one.
        var description = string.IsNullOrEmpty(ex.Description) ? ex.Message : ex.Description;
        var column = ex.LineNumber <= 1 ? ex.Column - 1 : ex.Column;
        return column > 0 ? $"{description} (near character {column})" : description;
    }

    /// <summary>
    /// The globals the expression reads (Jint works out which identifiers no scope of the expression
    /// declares), in order of first use: <c>bo check</c> lists them in the order they were written.
    /// </summary>
    private static ImmutableArray<string> FreeVariables(Expression expression, ReferencedGlobals? globals)
    {
        if (globals is null || globals.Count == 0)
        {
            return [];
        }

        var found = new List<Identifier>();
        Collect(expression, found);
        return [.. found.OrderBy(i => i.Start).Select(i => i.Name).Where(globals.Contains).Distinct(StringComparer.Ordinal)];
    }

    private static void Collect(Node node, List<Identifier> found)
    {
        switch (node)
        {
            case Identifier identifier:
                found.Add(identifier);
                return;
            case MemberExpression { Computed: false } member:
                // a.b: only a is a reference; b is a property name.
                Collect(member.Object, found);
                return;
            case Property { Computed: false, Shorthand: false } property:
                // {k: v}: only v is a reference.
                Collect(property.Value, found);
                return;
        }

        foreach (var child in node.ChildNodes)
        {
            Collect(child, found);
        }
    }

    private static ImmutableArray<string>? SimplePathOf(Expression expression)
    {
        var names = new List<string>();
        var current = expression;
        while (current is MemberExpression { Computed: false, Property: Identifier property } member)
        {
            names.Add(property.Name);
            current = member.Object;
        }

        if (current is not Identifier root)
        {
            return null;
        }

        names.Add(root.Name);
        names.Reverse();
        return [.. names];
    }

    // Counts ( [ { outside string literals; good enough to bound parser recursion.
    private static int NestingDepth(string code)
    {
        int depth = 0, max = 0;
        for (var i = 0; i < code.Length; i++)
        {
            switch (code[i])
            {
                case '\'' or '"':
                    var quote = code[i];
                    for (i++; i < code.Length && code[i] != quote; i++)
                    {
                        if (code[i] == '\\')
                        {
                            i++;
                        }
                    }

                    break;
                case '(' or '[' or '{':
                    max = Math.Max(max, ++depth);
                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
            }
        }

        return max;
    }
}
