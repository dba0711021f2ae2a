using System.Text.Encodings.Web;
using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators.Builtin.Http;

/// <summary>
/// Replaces secret values with <c>***</c> in text an operator writes (its log, error messages).
/// Besides the raw value it masks the forms a server is likely to echo it in: JSON-escaped and
/// URL-encoded. Longer secrets are masked first, so a secret containing another is masked whole.
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "***";

    private readonly string[] _secrets;
    private readonly string[] _values;

    public SecretMasker(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray();
        _values = _secrets
            .SelectMany(s => new[] { s, JsonEncodedText.Encode(s, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(), JsonEncodedText.Encode(s).ToString(), Uri.EscapeDataString(s) })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    /// <summary>True when there is nothing to mask.</summary>
    public bool IsEmpty => _values.Length == 0;

    /// <summary>A masker that also masks <paramref name="more"/>.</summary>
    public SecretMasker With(IEnumerable<string?> more) => new(_secrets.Concat(more));

    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var value in _values)
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
