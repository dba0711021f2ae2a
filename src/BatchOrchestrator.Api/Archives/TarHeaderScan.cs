using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace BatchOrchestrator.Api.Archives;

/// <summary>
/// A first pass over an uncompressed tar stream that reads only its 512-byte headers, skipping
/// file data, in constant memory. It exists because <see cref="System.Formats.Tar.TarReader"/>
/// has no limits of its own: it allocates a metadata entry (pax extended header, GNU long name)
/// whole at the size its header declares, so a small archive can declare a gigabyte. Checked
/// here, before TarReader reads a byte: metadata sizes, the entry count and the declared data
/// size. Header checksums are verified, so a stream this pass misreads is refused, never
/// handed over.
/// </summary>
internal static class TarHeaderScan
{
    private const int Block = 512;

    public static async Task CheckAsync(Stream tar, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        var header = new byte[Block];
        var skip = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            var entries = 0;
            long unpacked = 0;
            long? nextSize = null;
            while (true)
            {
                if (!await ReadExactlyAsync(tar, header, cancellationToken) || header.All(b => b == 0))
                {
                    return;
                }

                if (!ChecksumMatches(header))
                {
                    throw new ArchiveRefusedException("the body is not a .tar.gz archive: a tar header's checksum does not match", StatusCodes.Status400BadRequest);
                }

                var type = (char)header[156];
                var size = ParseSize(header.AsSpan(124, 12));
                if (type is 'x' or 'g' or 'L' or 'K')
                {
                    if (size > limits.MaxHeaderBytes)
                    {
                        throw new ArchiveRefusedException($"the archive has a {size}-byte metadata header (type '{type}'); at most {limits.MaxHeaderBytes} bytes are taken", StatusCodes.Status413PayloadTooLarge);
                    }

                    var metadata = new byte[Padded(size)];
                    if (!await ReadExactlyAsync(tar, metadata, cancellationToken))
                    {
                        return;
                    }

                    // A pax header may give the next entry's real size, which its own header then does not.
                    if (type == 'x' && PaxSize(metadata.AsSpan(0, (int)size)) is { } paxSize)
                    {
                        nextSize = paxSize;
                    }

                    continue;
                }

                size = nextSize ?? size;
                nextSize = null;
                if (++entries > limits.MaxEntries)
                {
                    throw ArchiveRefusedException.TooManyEntries(limits);
                }

                // Only file data is stored; links and folders carry none worth counting, but their declared size is still skipped.
                unpacked += size;
                if (unpacked > limits.MaxUnpackedBytes)
                {
                    throw ArchiveRefusedException.TooLarge(limits);
                }

                for (var left = Padded(size); left > 0;)
                {
                    var read = await tar.ReadAsync(skip.AsMemory(0, (int)Math.Min(left, skip.Length)), cancellationToken);
                    if (read == 0)
                    {
                        return;
                    }

                    left -= read;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(skip);
        }
    }

    private static long Padded(long size) => (size + Block - 1) / Block * Block;

    /// <summary>Fills the buffer; false at the end of the stream (a truncated archive is TarReader's to report).</summary>
    private static async Task<bool> ReadExactlyAsync(Stream tar, byte[] buffer, CancellationToken cancellationToken) =>
        await tar.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken) == buffer.Length;

    /// <summary>The size field: octal digits, or base-256 when its first byte's high bit is set (GNU, for sizes past 8 GiB).</summary>
    private static long ParseSize(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            long value = field[0] & 0x7F;
            foreach (var b in field[1..])
            {
                if (value > (long.MaxValue >> 8))
                {
                    return long.MaxValue;
                }

                value = (value << 8) | b;
            }

            return value;
        }

        long octal = 0;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0)
            {
                if (octal > 0)
                {
                    break;
                }

                continue;
            }

            if (b is < (byte)'0' or > (byte)'7')
            {
                throw new ArchiveRefusedException("the body is not a .tar.gz archive: a tar header's size is not a number", StatusCodes.Status400BadRequest);
            }

            octal = (octal * 8) + (b - '0');
        }

        return octal;
    }

    /// <summary>The header checksum: the sum of its bytes with the checksum field read as spaces.</summary>
    private static bool ChecksumMatches(byte[] header)
    {
        long sum = 0;
        for (var i = 0; i < Block; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : header[i];
        }

        long stored;
        try
        {
            stored = ParseSize(header.AsSpan(148, 8));
        }
        catch (ArchiveRefusedException)
        {
            return false;
        }

        return stored == sum;
    }

    /// <summary>The <c>size</c> record of a pax extended header ("&lt;length&gt; size=&lt;n&gt;\n"), if any.</summary>
    private static long? PaxSize(ReadOnlySpan<byte> records)
    {
        foreach (var line in Encoding.UTF8.GetString(records).Split('\n'))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line[(space + 1)..].StartsWith("size=", StringComparison.Ordinal)
                && long.TryParse(line[(space + 6)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size))
            {
                return size;
            }
        }

        return null;
    }
}
