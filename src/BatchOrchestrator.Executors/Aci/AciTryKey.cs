using System.Globalization;
using System.Text;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// One try of one task of one attempt, and the names it gets in Azure. The group name is a pure
/// function of the key, so a launch delivered twice finds the group the first one made.
/// </summary>
public sealed record AciTryKey(string AttemptId, string TaskName, int Try)
{
    /// <summary>ACI's limit on container group names.</summary>
    public const int MaxNameLength = 63;

    public const string AttemptTag = "bo-attempt";
    public const string TaskTag = "bo-task";
    public const string TryTag = "bo-try";
    public const string KeyTag = "bo-key";

    /// <summary>Azure's limit on a tag value.</summary>
    private const int MaxTagValue = 256;

    /// <summary>SHA-256 of the key, hex: stored in a tag, so an adopted group is checked against the whole key.</summary>
    public string Hash => StableHash.OfTry(AttemptId, TaskName, Try);

    /// <summary>
    /// <c>bo-{readable task}-{try}-{hash}</c>: lowercase letters, digits and single hyphens, at most
    /// 63 chars. The readable part is only for people looking at the portal; the 16 hex digits of
    /// the hash make it unique.
    /// </summary>
    public string GroupName
    {
        get
        {
            var suffix = $"-{Try.ToString(CultureInfo.InvariantCulture)}-{Hash[..16]}";
            var slug = Slug(TaskName, MaxNameLength - "bo-".Length - suffix.Length);
            return slug.Length == 0 ? $"bo{suffix}" : $"bo-{slug}{suffix}";
        }
    }

    /// <summary>The tags that identify the try on its group.</summary>
    public IDictionary<string, string> Tags() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AttemptTag] = Clip(AttemptId),
        [TaskTag] = Clip(TaskName),
        [TryTag] = Try.ToString(CultureInfo.InvariantCulture),
        [KeyTag] = Hash,
    };

    /// <summary>Whether a group's tags say it was made for this try.</summary>
    public bool Owns(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return tags.TryGetValue(KeyTag, out var key) && key == Hash
            && tags.TryGetValue(AttemptTag, out var attempt) && attempt == Clip(AttemptId)
            && tags.TryGetValue(TryTag, out var tryText) && tryText == Try.ToString(CultureInfo.InvariantCulture);
    }

    private static string Clip(string value) => value.Length <= MaxTagValue ? value : value[..MaxTagValue];

    private static string Slug(string text, int max)
    {
        var builder = new StringBuilder(max);
        foreach (var c in text.ToLowerInvariant())
        {
            if (builder.Length >= max)
            {
                break;
            }

            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        return builder.ToString().Trim('-');
    }
}
