using System.Security.Cryptography;
using System.Text;

namespace BatchOrchestrator.Runtime.Execution;

/// <summary>Name-based (RFC 4122 version 5) GUIDs: the same name always gives the same GUID.</summary>
internal static class DeterministicGuid
{
    // A fixed namespace so that names from this runtime never collide with other v5 GUIDs.
    private static readonly byte[] Namespace = new Guid("6f3b1c52-8a1e-4c0a-9d7e-2b6f5e0a4d31").ToByteArray(bigEndian: true);

    public static Guid Create(string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[Namespace.Length + nameBytes.Length];
        Namespace.CopyTo(input, 0);
        nameBytes.CopyTo(input, Namespace.Length);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 prescribes for version 5; no security relies on it.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
