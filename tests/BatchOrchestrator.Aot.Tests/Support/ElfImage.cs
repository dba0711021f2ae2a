using System.Buffers.Binary;

namespace BatchOrchestrator.Aot.Tests.Support;

/// <summary>What the ELF header of a 64-bit executable says about how it is loaded.</summary>
internal sealed record ElfImage(ElfFileType Type)
{
    public static async Task<ElfImage> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var header = new byte[64];
        await file.ReadExactlyAsync(header, cancellationToken);
        if (!header.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || header[4] != 2)
        {
            throw new InvalidDataException($"{path} is not a 64-bit ELF file");
        }

        return new ElfImage((ElfFileType)BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(16)));
    }
}

internal enum ElfFileType : ushort
{
    /// <summary>Linked at a fixed address.</summary>
    Executable = 2,

    /// <summary>Position-independent: loaded at a random address (a PIE executable, or a shared library).</summary>
    SharedObject = 3,
}
