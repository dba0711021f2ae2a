using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>
/// <c>struct epoll_event</c> read and written in place: x86-64 packs it (12 bytes, the data at
/// offset 4), other 64-bit architectures align it (16 bytes, the data at offset 8).
/// </summary>
internal static unsafe class EpollEvent
{
    private static readonly bool Packed = RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public static int Size => Packed ? 12 : 16;

    private static int DataOffset => Packed ? 4 : 8;

    public static void Write(byte* at, uint events, ulong data)
    {
        Unsafe.WriteUnaligned(at, events);
        Unsafe.WriteUnaligned(at + DataOffset, data);
    }

    public static ulong Data(byte* events, int index) => Unsafe.ReadUnaligned<ulong>(events + (index * Size) + DataOffset);
}
