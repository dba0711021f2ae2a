using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// Instance ids of sub-orchestrations, the same on every host. Durable Functions' Azure Storage
/// backend takes ids of at most <see cref="MaxLength"/> characters, without <c>/ \ # ?</c> (they
/// are table keys and URL segments), so every id made here fits, however deep the nesting.
/// </summary>
/// <remarks>
/// <para>
/// A chunk of an attempt is named by its path: the ordinal of the sub-orchestration call that
/// started it in its parent (1 for the first call an orchestration makes, counted in the
/// deterministic order of its code, so the same on replay and never reused by a later call — a
/// group retry or a loop running a group again makes new calls). The attempt's third chunk is
/// <c>bo:shop:daily:2026-11-21T00:00:00Z:0~3</c>; the twelfth chunk that one starts is
/// <c>bo:shop:daily:2026-11-21T00:00:00Z:0~3.12</c>. Durable Functions Monitor lists the chunks of
/// an attempt right after it, and <see cref="ChunkPrefix"/> finds them all.
/// </para>
/// <para>
/// An id that would be longer than <see cref="MaxLength"/> keeps the start of the attempt id and
/// replaces the path up to its parent by a hash of the parent's id, then the ordinal:
/// <c>bo:…(71 characters of the attempt id)~h0123456789abcdef.7</c>; its children append to it
/// again. Such an id names its parent only by hash, so <see cref="ParentOf"/> cannot give it.
/// </para>
/// </remarks>
public static class SubOrchestrationIds
{
    /// <summary>The longest instance id Durable Functions' Azure Storage backend accepts.</summary>
    public const int MaxLength = 100;

    private const char ChunkMarker = '~';
    private const char LevelSeparator = '.';
    private const char HashMark = 'h';
    private const int HashLength = 16;

    /// <summary>
    /// How much of the attempt id a shortened id keeps: with the marker, the hash and the largest
    /// ordinal it is exactly <see cref="MaxLength"/>.
    /// </summary>
    private const int HeadLength = MaxLength - 1 - 1 - HashLength - 1 - 10;

    /// <summary>
    /// The id of the chunk an orchestration starts with its <paramref name="ordinal"/>-th
    /// sub-orchestration call: under the attempt (<paramref name="parentIsChunk"/> false, the
    /// parent's id is the attempt id) or under one of its chunks.
    /// </summary>
    public static string Chunk(string parentInstanceId, bool parentIsChunk, int ordinal)
    {
        ArgumentException.ThrowIfNullOrEmpty(parentInstanceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(ordinal, 1);
        var number = ordinal.ToString(CultureInfo.InvariantCulture);
        var readable = parentInstanceId + (parentIsChunk ? LevelSeparator : ChunkMarker) + number;
        if (readable.Length <= MaxLength)
        {
            return readable;
        }

        var marker = parentIsChunk ? parentInstanceId.LastIndexOf(ChunkMarker) : -1;
        var attempt = marker > 0 ? parentInstanceId[..marker] : parentInstanceId;
        return $"{Head(attempt)}{ChunkMarker}{HashMark}{Hash(parentInstanceId)}{LevelSeparator}{number}";
    }

    /// <summary>
    /// A prefix of the ids of every chunk of an attempt, at any depth. For an attempt id longer
    /// than the part shortened ids keep (71 characters), it may also match chunks of another
    /// attempt whose id starts the same; their custom status names their attempt.
    /// </summary>
    public static string ChunkPrefix(string attemptInstanceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(attemptInstanceId);
        return attemptInstanceId.Length <= HeadLength ? attemptInstanceId + ChunkMarker : attemptInstanceId[..HeadLength];
    }

    /// <summary>
    /// The child id under <paramref name="parentInstanceId"/> when the caller chooses none (for
    /// orchestrators other than the workflow's, which passes <see cref="Chunk"/> ids):
    /// <paramref name="guid"/> must come from the context's <c>NewGuid</c>. Not bounded: each
    /// level adds 33 characters.
    /// </summary>
    public static string Derive(string parentInstanceId, Guid guid)
    {
        ArgumentException.ThrowIfNullOrEmpty(parentInstanceId);
        return $"{parentInstanceId}:{guid:N}";
    }

    /// <summary>
    /// The parent of an instance whose id was made by <see cref="Chunk"/> or <see cref="Derive"/>,
    /// or null: a top-level instance, a child whose caller chose its id, or a shortened chunk id
    /// whose path up to its parent was hashed. For hosts whose instance metadata does not record
    /// the parent (Durable Functions' client). An attempt id that itself ends like a chunk's
    /// (<c>~</c> and digits, from a retry name) would be mistaken for one.
    /// </summary>
    public static string? ParentOf(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return ChunkParentOf(instanceId, out var parent) ? parent : DerivedParentOf(instanceId);
    }

    /// <summary>True when <paramref name="instanceId"/> is a chunk id; <paramref name="parent"/> is then its parent when the id names it.</summary>
    private static bool ChunkParentOf(string instanceId, out string? parent)
    {
        parent = null;
        var marker = instanceId.LastIndexOf(ChunkMarker);
        if (marker <= 0)
        {
            return false;
        }

        var path = instanceId.AsSpan(marker + 1);
        var hashed = path.Length > HashLength + 1 && path[0] == HashMark && IsHash(path.Slice(1, HashLength)) && path[HashLength + 1] == LevelSeparator;
        var ordinals = hashed ? path[(HashLength + 2)..] : path;
        if (!IsOrdinalPath(ordinals))
        {
            return false;
        }

        var lastSeparator = instanceId.LastIndexOf(LevelSeparator);
        if (lastSeparator > marker && (!hashed || ordinals.Contains(LevelSeparator)))
        {
            parent = instanceId[..lastSeparator];
        }
        else if (!hashed)
        {
            parent = instanceId[..marker];
        }

        return true;
    }

    private static string? DerivedParentOf(string instanceId)
    {
        var colon = instanceId.LastIndexOf(':');
        if (colon <= 0 || instanceId.Length - colon - 1 != 32)
        {
            return null;
        }

        return Guid.TryParseExact(instanceId.AsSpan(colon + 1), "N", out _) ? instanceId[..colon] : null;
    }

    private static bool IsOrdinalPath(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
        {
            return false;
        }

        var digits = 0;
        foreach (var c in path)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c == LevelSeparator && digits > 0)
            {
                digits = 0;
            }
            else
            {
                return false;
            }
        }

        return digits > 0;
    }

    private static bool IsHash(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Head(string attemptInstanceId) =>
        attemptInstanceId.Length <= HeadLength ? attemptInstanceId : attemptInstanceId[..HeadLength];

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..HashLength];
}
