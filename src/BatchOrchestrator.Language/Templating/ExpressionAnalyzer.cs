using System.Collections.Immutable;
using Jint.Parser;
using Jint.Parser.Ast;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// Parses the text of one <c>${...}</c> with Jint's bundled (Esprima-derived) ES5 parser and collects
/// what the engine needs to know before running it.
/// </summary>
internal static class ExpressionAnalyzer
{
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

        Program program;
        try
        {
            program = new JavaScriptParser().Parse(Wrap(code));
        }
        catch (ParserException ex)
        {
            return Failed(code, Describe(ex));
        }

        if (program.Body.Count != 1 || program.Body.First() is not ExpressionStatement statement)
        {
            return Failed(code, "it must be a single JavaScript expression, not statements (wrap statements in a function: (function(){ ... })())");
        }

        var walker = new FreeVariableWalker();
        walker.Visit(statement.Expression);
        var canLoop = walker.HasFunctions || walker.Free.Contains("eval") || walker.Free.Contains("Function");
        return new ExpressionInfo(code, [.. walker.Free], canLoop, SimplePathOf(statement.Expression), null);
    }

    private static ExpressionInfo Failed(string code, string reason) => new(code, [], false, null, reason);

    private static string Describe(ParserException ex)
    {
        // The parser numbers lines from the wrapped text; the opening parenthesis shifts column 1 by one.
        var description = string.IsNullOrEmpty(ex.Description) ? ex.Message : ex.Description;
        var column = ex.LineNumber <= 1 ? ex.Column - 1 : ex.Column;
        return column > 0 ? $"{description} (near character {column})" : description;
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

    /// <summary>Collects identifiers read from the global scope, skipping property names, locals and labels.</summary>
    private sealed class FreeVariableWalker
    {
        private readonly List<HashSet<string>> _scopes = [];
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public List<string> Free { get; } = [];

        public bool HasFunctions { get; private set; }

        public void Visit(SyntaxNode? node)
        {
            switch (node)
            {
                case null:
                    return;
                case Identifier identifier:
                    Reference(identifier.Name);
                    return;
                case MemberExpression member:
                    Visit(member.Object);
                    if (member.Computed)
                    {
                        Visit(member.Property);
                    }

                    return;
                case ObjectExpression obj:
                    foreach (var property in obj.Properties)
                    {
                        Visit(property.Value);
                    }

                    return;
                case CallExpression call:
                    Visit(call.Callee);
                    VisitAll(call.Arguments);
                    return;
                case NewExpression newExpression:
                    Visit(newExpression.Callee);
                    VisitAll(newExpression.Arguments);
                    return;
                case BinaryExpression binary:
                    Visit(binary.Left);
                    Visit(binary.Right);
                    return;
                case LogicalExpression logical:
                    Visit(logical.Left);
                    Visit(logical.Right);
                    return;
                case AssignmentExpression assignment:
                    Visit(assignment.Left);
                    Visit(assignment.Right);
                    return;
                case UnaryExpression unary:
                    Visit(unary.Argument);
                    return;
                case ConditionalExpression conditional:
                    Visit(conditional.Test);
                    Visit(conditional.Consequent);
                    Visit(conditional.Alternate);
                    return;
                case SequenceExpression sequence:
                    VisitAll(sequence.Expressions);
                    return;
                case ArrayExpression array:
                    VisitAll(array.Elements);
                    return;
                case FunctionExpression function:
                    VisitFunction(function);
                    return;
                case FunctionDeclaration declaration:
                    VisitFunction(declaration);
                    return;
                default:
                    VisitStatement(node);
                    return;
            }
        }

        private void VisitStatement(SyntaxNode node)
        {
            switch (node)
            {
                case ExpressionStatement statement:
                    Visit(statement.Expression);
                    break;
                case BlockStatement block:
                    VisitAll(block.Body);
                    break;
                case VariableDeclaration declaration:
                    foreach (var declarator in declaration.Declarations)
                    {
                        Visit(declarator.Init);
                    }

                    break;
                case IfStatement ifStatement:
                    Visit(ifStatement.Test);
                    Visit(ifStatement.Consequent);
                    Visit(ifStatement.Alternate);
                    break;
                case ForStatement forStatement:
                    Visit(forStatement.Init);
                    Visit(forStatement.Test);
                    Visit(forStatement.Update);
                    Visit(forStatement.Body);
                    break;
                case ForInStatement forIn:
                    Visit(forIn.Left);
                    Visit(forIn.Right);
                    Visit(forIn.Body);
                    break;
                case WhileStatement whileStatement:
                    Visit(whileStatement.Test);
                    Visit(whileStatement.Body);
                    break;
                case DoWhileStatement doWhile:
                    Visit(doWhile.Body);
                    Visit(doWhile.Test);
                    break;
                case ReturnStatement returnStatement:
                    Visit(returnStatement.Argument);
                    break;
                case ThrowStatement throwStatement:
                    Visit(throwStatement.Argument);
                    break;
                case TryStatement tryStatement:
                    Visit(tryStatement.Block);
                    foreach (var handler in tryStatement.Handlers)
                    {
                        _scopes.Add(new HashSet<string>(StringComparer.Ordinal) { handler.Param.Name });
                        Visit(handler.Body);
                        _scopes.RemoveAt(_scopes.Count - 1);
                    }

                    Visit(tryStatement.Finalizer);
                    break;
                case SwitchStatement switchStatement:
                    Visit(switchStatement.Discriminant);
                    foreach (var switchCase in switchStatement.Cases)
                    {
                        Visit(switchCase.Test);
                        VisitAll(switchCase.Consequent);
                    }

                    break;
                case LabelledStatement labelled:
                    Visit(labelled.Body);
                    break;
                case WithStatement with:
                    Visit(with.Object);
                    Visit(with.Body);
                    break;
            }
        }

        private void VisitFunction(IFunctionDeclaration function)
        {
            HasFunctions = true;
            var scope = new HashSet<string>(StringComparer.Ordinal) { "arguments" };
            if (function.Id is not null)
            {
                scope.Add(function.Id.Name);
            }

            scope.UnionWith(function.Parameters.Select(p => p.Name));
            scope.UnionWith(function.VariableDeclarations.SelectMany(d => d.Declarations).Select(d => d.Id.Name));
            scope.UnionWith(function.FunctionDeclarations.Where(f => f.Id is not null).Select(f => f.Id.Name));
            _scopes.Add(scope);
            Visit(function.Body);
            _scopes.RemoveAt(_scopes.Count - 1);
        }

        private void VisitAll<T>(IEnumerable<T>? nodes)
            where T : SyntaxNode
        {
            foreach (var node in nodes ?? [])
            {
                Visit(node);
            }
        }

        private void Reference(string name)
        {
            if (_scopes.Any(s => s.Contains(name)))
            {
                return;
            }

            if (_seen.Add(name))
            {
                Free.Add(name);
            }
        }
    }
}
