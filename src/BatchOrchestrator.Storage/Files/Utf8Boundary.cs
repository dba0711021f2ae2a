namespace BatchOrchestrator.Storage.Files;

/// <summary>Where the last whole UTF-8 character of a byte range ends.</summary>
internal static class Utf8Boundary
{
    /// <summary>
    /// The length of the longest prefix of <paramref name="bytes"/> that does not end inside a
    /// multi-byte character. Bytes that are not valid UTF-8 count as complete (the decoder
    /// replaces them), so a reader never stalls on garbage.
    /// </summary>
    public static int CompleteLength(ReadOnlySpan<byte> bytes)
    {
        var lead = bytes.Length - 1;
        while (lead >= 0 && bytes.Length - lead <= 4 && IsContinuation(bytes[lead]))
        {
            lead--;
        }

        if (lead < 0 || bytes.Length - lead > 4)
        {
            return bytes.Length;
        }

        var needed = SequenceLength(bytes[lead]);
        return bytes.Length - lead < needed ? lead : bytes.Length;
    }

    private static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;

    private static int SequenceLength(byte lead) => lead switch
    {
        < 0x80 => 1,
        _ when (lead & 0xE0) == 0xC0 => 2,
        _ when (lead & 0xF0) == 0xE0 => 3,
        _ when (lead & 0xF8) == 0xF0 => 4,
        _ => 1,
    };
}
