using Mono.Cecil;

namespace BatchOrchestrator.Determinism.Tests.Checker;

/// <summary>
/// Names of methods as their source names them: the compiler's lambdas (<c>&lt;M&gt;b__0_0</c>),
/// local functions (<c>&lt;M&gt;g__F|0_0</c>) and async state machines (<c>&lt;M&gt;d__0.MoveNext</c>)
/// are named after the method <c>M</c> they are written in.
/// </summary>
internal static class MethodNames
{
    /// <summary><c>Namespace.Type::Method</c> of the method as written in source.</summary>
    public static string Source(MethodDefinition method)
    {
        var type = method.DeclaringType;
        var name = Inner(method.Name);
        while (IsGenerated(type))
        {
            name ??= Inner(type.Name);
            type = type.DeclaringType;
        }

        return $"{type.FullName}::{name ?? (method.IsConstructor && IsGenerated(method.DeclaringType) ? "<closure>" : method.Name)}";
    }

    /// <summary><see cref="Source"/> with what the compiler made of it, for a path in a report.</summary>
    public static string Display(MethodDefinition method)
    {
        var source = Source(method);
        const string ours = "BatchOrchestrator.";
        if (source.StartsWith(ours, StringComparison.Ordinal))
        {
            source = source[ours.Length..];
        }

        var name = method.Name;
        if (name.Contains(">g__", StringComparison.Ordinal))
        {
            var start = name.IndexOf(">g__", StringComparison.Ordinal) + 4;
            var end = name.IndexOf('|', start);
            return $"{source}.{name[start..(end < 0 ? name.Length : end)]} (local function)";
        }

        if (name.Contains(">b__", StringComparison.Ordinal))
        {
            return source + " (lambda)";
        }

        return name == "MoveNext" && IsGenerated(method.DeclaringType) ? source + " (async body)" : source;
    }

    private static bool IsGenerated(TypeDefinition type) => type.DeclaringType is not null && type.Name.StartsWith('<');

    /// <summary>The <c>M</c> of a compiler-generated <c>&lt;M&gt;...</c> name, or null.</summary>
    private static string? Inner(string name)
    {
        var end = name.IndexOf('>', StringComparison.Ordinal);
        return name.StartsWith('<') && end > 1 ? name[1..end] : null;
    }
}
