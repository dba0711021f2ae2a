using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace BatchOrchestrator.Server.Tests.Support;

/// <summary>Project pushes as a client sends them: a <c>.tar.gz</c> body.</summary>
internal static class ProjectArchives
{
    public static ByteArrayContent Gzip(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        return content;
    }

    public static byte[] TarGz(params (string Path, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (path, text) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Entries as they are, in the given format (ustar entries are 512 bytes each, for archives of many files).</summary>
    public static byte[] TarGz(TarEntryFormat format, IEnumerable<string> emptyFiles, params (string Path, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, format))
        {
            foreach (var (path, text) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }

            foreach (var path in emptyFiles)
            {
                tar.WriteEntry(format == TarEntryFormat.Ustar ? new UstarTarEntry(TarEntryType.RegularFile, path) : new PaxTarEntry(TarEntryType.RegularFile, path));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The probe's archive: a metadata entry (<paramref name="type"/> 'x' pax header, 'L' GNU long
    /// name) declaring and holding <paramref name="mebibytes"/> MiB of zeros, as gzip members one
    /// after another (one compressed MiB of zeros, repeated), so ~1 KB per MiB is sent.
    /// </summary>
    public static byte[] MetadataBomb(char type, int mebibytes)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(type == 'x' ? "PaxHeaders/etl.dig" : "././@LongLink").CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        Encoding.ASCII.GetBytes(Convert.ToString((long)mebibytes << 20, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes(type == 'x' ? "ustar\000" : "ustar  \0").CopyTo(header, 257);
        Encoding.ASCII.GetBytes("        ").CopyTo(header, 148);
        var sum = header.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);

        using var buffer = new MemoryStream();
        Member(buffer, header);
        var zeros = Member(new MemoryStream(), new byte[1 << 20]);
        for (var i = 0; i < mebibytes; i++)
        {
            buffer.Write(zeros);
        }

        return buffer.ToArray();
    }

    private static byte[] Member(MemoryStream target, byte[] content)
    {
        using (var gzip = new GZipStream(target, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return target.ToArray();
    }
}
