using System.Text;

namespace BatchOrchestrator.Executors.Kubernetes.Jobs;

/// <summary>
/// The Job of one try is named from (attempt, task, try) alone, so a launch delivered twice
/// names the same Job and the second create meets 409 AlreadyExists instead of running the
/// work twice. Names are DNS-1123 labels of at most 63 characters (the Job's pods carry the
/// name in a label): <c>bo-</c>, a readable slug of the task's last segment, the try, and a hash
/// of all three parts, which keeps distinct tries apart whatever the slug loses.
/// </summary>
public static class JobName
{
    public const int MaxLength = 63;

    private const int SlugLength = 24;

    public static string For(string attemptId, string taskName, int tryNumber)
    {
        var hash = StableHash.OfTry(attemptId, taskName, tryNumber, 16);
        var slug = Slug(taskName.Split('+', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "task");
        var name = slug.Length == 0 ? $"bo-t{tryNumber}-{hash}" : $"bo-{slug}-t{tryNumber}-{hash}";
        return name.Length <= MaxLength ? name : $"bo-t{tryNumber}-{hash}";
    }

    /// <summary>A short hex digest, safe as a label value (labels hold at most 63 characters of a restricted set).</summary>
    public static string Hash(string text, int length) => StableHash.Hex(text, length);

    private static string Slug(string text)
    {
        var builder = new StringBuilder(SlugLength);
        foreach (var c in text.ToLowerInvariant())
        {
            if (builder.Length == SlugLength)
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
