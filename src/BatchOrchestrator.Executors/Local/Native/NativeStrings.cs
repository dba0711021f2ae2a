using System.Runtime.InteropServices;
using System.Text;

namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>
/// A null-terminated array of null-terminated UTF-8 strings (argv, envp) in one native block,
/// so a spawn costs one allocation however many strings it passes.
/// </summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private byte* _block;

    public NativeStrings(IReadOnlyList<string> values)
    {
        var pointerBytes = (values.Count + 1) * sizeof(byte*);
        var total = pointerBytes;
        foreach (var value in values)
        {
            total += Encoding.UTF8.GetByteCount(value) + 1;
        }

        _block = (byte*)NativeMemory.Alloc((nuint)total);
        var pointers = (byte**)_block;
        var next = _block + pointerBytes;
        var end = _block + total;
        for (var i = 0; i < values.Count; i++)
        {
            pointers[i] = next;
            var written = Encoding.UTF8.GetBytes(values[i], new Span<byte>(next, (int)(end - next)));
            next[written] = 0;
            next += written + 1;
        }

        pointers[values.Count] = null;
    }

    public byte** Pointers => (byte**)_block;

    public void Dispose()
    {
        if (_block is not null)
        {
            NativeMemory.Free(_block);
            _block = null;
        }
    }
}
