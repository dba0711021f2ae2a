using System.Text.RegularExpressions;

namespace BatchOrchestrator.Engine.Secrets;

/// <summary>
/// What a secret key may be called: letters, digits, <c>_</c>, <c>-</c> and <c>.</c> (for
/// namespacing such as <c>api.token</c>), starting with a letter or <c>_</c>, at most 255
/// characters. Narrow on purpose: a key is written inside <c>${secret:...}</c> and on command lines.
/// </summary>
public static partial class SecretNames
{
    public const int MaxLength = 255;

    public static bool IsValid(string? key) => key is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(key);

    /// <summary>Throws when <paramref name="key"/> is not a valid name, saying what a valid one looks like.</summary>
    /// <exception cref="ArgumentException">The key is not valid.</exception>
    public static void Validate(string key)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException($"'{key}' is not a valid secret key: use letters, digits, '_', '-' and '.', starting with a letter or '_' (e.g. api.token), at most {MaxLength} characters", nameof(key));
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex Pattern();
}
