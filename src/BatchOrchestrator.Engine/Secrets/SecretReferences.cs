using System.Text.Json;
using System.Text.RegularExpressions;
using BatchOrchestrator.Engine.Executors;

namespace BatchOrchestrator.Engine.Secrets;

/// <summary>
/// Finds and replaces <c>${secret:key}</c> in text that templates have already been rendered into.
/// A pure function of its input, so the orchestrator may use it (to name the keys a command needs,
/// never their values). It matches the text literally rather than re-parsing it as a template:
/// rendering has already turned <c>$$</c> into <c>$</c>, and parsing again would change the rest of
/// the text. So a <c>$${secret:x}</c> written to mean the literal text is resolved too (as a value
/// read from the store, and masked like any other).
/// </summary>
public static partial class SecretReferences
{
    /// <summary>The keys referenced in <paramref name="text"/>, trimmed, in order of appearance.</summary>
    public static IEnumerable<string> Keys(string? text)
    {
        if (text is null || !text.Contains("${secret:", StringComparison.Ordinal))
        {
            yield break;
        }

        foreach (Match match in Reference().Matches(text))
        {
            yield return match.Groups[1].Value.Trim();
        }
    }

    /// <summary>Replaces every reference with <paramref name="valueOf"/>(key); text without one is returned as is.</summary>
    public static string Replace(string text, Func<string, string> valueOf)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("${secret:", StringComparison.Ordinal)
            ? Reference().Replace(text, match => valueOf(match.Groups[1].Value.Trim()))
            : text;
    }

    /// <summary>The distinct keys a command needs (arguments, environment values, files); empty for most commands.</summary>
    public static IReadOnlyList<string> In(CommandRequest command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!AnyIn(command))
        {
            return [];
        }

        return command.Command
            .Concat(command.Environment.Values)
            .Concat(command.Files.Values)
            .SelectMany(Keys)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Whether any argument, environment value or file of <paramref name="command"/> holds a reference.
    /// Most hold none: a plain scan of each string spares them the per-string enumeration and regex.
    /// </summary>
    public static bool AnyIn(CommandRequest command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Command.Any(Holds) || command.Environment.Values.Any(Holds) || command.Files.Values.Any(Holds);

        static bool Holds(string text) => text.Contains("${secret:", StringComparison.Ordinal);
    }

    /// <summary>The keys referenced in the string values of a JSON value, at any depth.</summary>
    public static IEnumerable<string> Keys(JsonElement element) => JsonStrings.All(element).SelectMany(Keys);

    [GeneratedRegex(@"\$\{secret:([^}]*)\}")]
    private static partial Regex Reference();
}
