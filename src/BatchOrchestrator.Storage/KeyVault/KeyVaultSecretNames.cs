using System.Globalization;
using System.Text;

namespace BatchOrchestrator.Storage.KeyVault;

/// <summary>
/// How a project's secret key becomes a Key Vault secret name, which may hold only
/// <c>[0-9a-zA-Z-]</c>, at most 127 characters, compared without case:
/// <c>{project}--{key}</c>, each part escaped so that the mapping is one-to-one and survives Key
/// Vault's case-insensitivity:
/// <list type="bullet">
/// <item>lowercase ASCII letters and digits stay as they are;</item>
/// <item>every other character — <c>.</c>, <c>_</c>, <c>-</c>, uppercase letters, non-ASCII — becomes
/// <c>-</c> and two lowercase hex digits per UTF-8 byte (<c>.</c> → <c>-2e</c>, <c>_</c> → <c>-5f</c>,
/// <c>-</c> → <c>-2d</c>, <c>A</c> → <c>-41</c>);</item>
/// <item>an escape is never followed by a second <c>-</c>, so the first <c>--</c> is the separator.</item>
/// </list>
/// Example: project <c>etl</c>, key <c>db.password</c> → <c>etl--db-2epassword</c>.
/// </summary>
public static class KeyVaultSecretNames
{
    public const int MaxLength = 127;

    public const string Separator = "--";

    /// <exception cref="ArgumentException">The name would be longer than Key Vault allows.</exception>
    public static string For(string project, string key)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(key);
        var name = Prefix(project) + Escape(key);
        return name.Length <= MaxLength
            ? name
            : throw new ArgumentException($"secret key '{key}' of project '{project}' maps to a Key Vault name of {name.Length} characters ({name}); Key Vault allows {MaxLength}: use a shorter key", nameof(key));
    }

    /// <summary>The start every name of the project's secrets has.</summary>
    public static string Prefix(string project) => Escape(project) + Separator;

    /// <summary>The key a Key Vault name stands for in <paramref name="project"/>, or null when the name is not one of the project's (or not made by <see cref="For"/>).</summary>
    public static string? KeyOf(string project, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var prefix = Prefix(project);
        return name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? Unescape(name[prefix.Length..]) : null;
    }

    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                builder.Append('-').Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>The text an escaped name stands for, or null when it is not a valid escape (a name someone else made).</summary>
    public static string? Unescape(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        var bytes = new List<byte>(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            var c = char.ToLowerInvariant(escaped[i]);
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                bytes.Add((byte)c);
            }
            else if (c == '-' && i + 2 < escaped.Length
                && byte.TryParse(escaped.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b)
                && b is not ((>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                return null;
            }
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
