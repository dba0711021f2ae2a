using System.Buffers.Binary;

namespace BatchOrchestrator.Server.Tests.Ui;

/// <summary>Reads what a test checks of a PNG: that it is one, and its size (from the IHDR chunk).</summary>
internal static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Size(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        Assert.IsGreaterThan(33, png.Length, "a PNG has at least a signature and an IHDR chunk");
        CollectionAssert.AreEqual(Signature, png[..8], "the PNG signature");
        Assert.AreEqual("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4), "a PNG starts with its IHDR chunk");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }
}
