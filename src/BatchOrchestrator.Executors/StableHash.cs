using System.Security.Cryptography;
using System.Text;

namespace BatchOrchestrator.Executors;

/// <summary>
/// Deterministic names for what executors create (Jobs, container groups, scratch folders): a
/// lowercase hex SHA-256 of the text, the same in every process and on every host.
/// </summary>
internal static class StableHash
{
    /// <summary>The first <paramref name="chars"/> hex characters (at most 64) of the text's SHA-256.</summary>
    public static string Hex(string text, int chars = 64) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..chars];

    /// <summary>The hash that names one try of one task of an attempt.</summary>
    public static string OfTry(string attemptId, string taskName, int tryNumber, int chars = 64) =>
        Hex($"{attemptId}\n{taskName}\n{tryNumber}", chars);
}
