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
}
