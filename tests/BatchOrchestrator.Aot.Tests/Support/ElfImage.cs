using System.Buffers.Binary;
using System.Text;

namespace BatchOrchestrator.Aot.Tests.Support;

/// <summary>What the ELF headers of an x86-64 executable say: its type and its sections' names, types and sizes.</summary>
internal sealed record ElfImage(ElfFileType Type, IReadOnlyList<ElfSection> Sections)
{
    public const uint SectionTypeRela = 4;
    public const uint SectionTypeRelr = 19;

    public static async Task<ElfImage> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var header = new byte[64];
        await file.ReadExactlyAsync(header, cancellationToken);
        if (!header.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || header[4] != 2)
        {
            throw new InvalidDataException($"{path} is not a 64-bit ELF file");
        }

        var type = (ElfFileType)BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(16));
        var sectionsAt = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(0x28));
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3A));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3C));
        var namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3E));

        var table = new byte[entrySize * count];
        file.Position = sectionsAt;
        await file.ReadExactlyAsync(table, cancellationToken);
        var raw = Enumerable.Range(0, count).Select(i => table.AsMemory(i * entrySize, entrySize)).Select(entry => (
            NameAt: BinaryPrimitives.ReadUInt32LittleEndian(entry.Span),
            Type: BinaryPrimitives.ReadUInt32LittleEndian(entry.Span[4..]),
            Offset: (long)BinaryPrimitives.ReadUInt64LittleEndian(entry.Span[0x18..]),
            Size: (long)BinaryPrimitives.ReadUInt64LittleEndian(entry.Span[0x20..]))).ToList();

        var names = new byte[raw[namesIndex].Size];
        file.Position = raw[namesIndex].Offset;
        await file.ReadExactlyAsync(names, cancellationToken);
        string NameAt(uint at) => Encoding.ASCII.GetString(names.AsSpan((int)at)[..names.AsSpan((int)at).IndexOf((byte)0)]);

        return new ElfImage(type, raw.Select(s => new ElfSection(NameAt(s.NameAt), s.Type, s.Size)).ToList());
    }
}

internal enum ElfFileType : ushort
{
    /// <summary>Linked at a fixed address.</summary>
    Executable = 2,

    /// <summary>Position-independent: loaded at a random address (a PIE executable, or a shared library).</summary>
    SharedObject = 3,
}

internal sealed record ElfSection(string Name, uint Type, long Size);
