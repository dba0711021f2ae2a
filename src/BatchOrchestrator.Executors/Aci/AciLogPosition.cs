using System.Security.Cryptography;
using System.Text;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// How far a container's output has been copied into the task log. ACI's logs call returns the
/// whole (bounded) log each time, not "what is new", and the window can move: a stopped group
/// keeps only its last 16 KB. So the position is the offset copied so far plus a hash of the
/// last characters copied, which finds the same spot again when the window has moved. A hash,
/// not the text: the state is stored in history, and output may hold secrets.
/// </summary>
/// <param name="Copied">Characters of the log content consumed, in the coordinates of the last read.</param>
/// <param name="TailHash">SHA-256 (hex) of the last <paramref name="TailLength"/> characters consumed; null before any.</param>
/// <param name="TailLength">How many characters <paramref name="TailHash"/> covers.</param>
public sealed record AciLogPosition(long Copied, string? TailHash, int TailLength)
{
    /// <summary>How many characters identify a position; long enough that repeats are rare.</summary>
    public const int TailSize = 64;

    public static readonly AciLogPosition Start = new(0, null, 0);

    /// <summary>The position after consuming <paramref name="content"/> up to <paramref name="end"/>.</summary>
    public static AciLogPosition At(string content, int end)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (end == 0)
        {
            return Start;
        }

        var length = Math.Min(TailSize, end);
        return new AciLogPosition(end, Hash(content.AsSpan(end - length, length)), length);
    }

    /// <summary>
    /// Where the unread part of <paramref name="content"/> starts: after the same text as last
    /// time, or -1 when the text copied last is no longer there (the window moved past it).
    /// When the window moved, the last place that matches wins: with repeated text that may skip
    /// identical lines, but it never copies a line twice.
    /// </summary>
    public int FindResume(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (TailHash is null)
        {
            return 0;
        }

        if (Copied <= content.Length && Copied >= TailLength && Matches(content, (int)Copied))
        {
            return (int)Copied;
        }

        for (var end = content.Length; end >= TailLength; end--)
        {
            if (Matches(content, end))
            {
                return end;
            }
        }

        return -1;
    }

    private bool Matches(string content, int end) =>
        Hash(content.AsSpan(end - TailLength, TailLength)) == TailHash;

    private static string Hash(ReadOnlySpan<char> text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToArray()), hash);
        return Convert.ToHexStringLower(hash);
    }
}
