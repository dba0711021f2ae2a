using System.Security.Cryptography;
using System.Text;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>
/// Numeric ids and UUIDs for built-ins (<c>project_id</c>, <c>session_id</c>, <c>session_uuid</c>)
/// derived from names, so the same session always shows the same ids without a central counter.
/// </summary>
public static class StableIds
{
    public static long Number(string text) =>
        (long)(BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0) & ((1UL << 53) - 1));

    public static Guid Uuid(string text)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
