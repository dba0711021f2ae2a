namespace BatchOrchestrator.Api.Archives;

/// <summary>
/// How big a pushed project archive may be, in every way that costs the server memory, time or
/// disk (docs/api.md). An archive past any of them is refused with a 4xx before anything is stored.
/// </summary>
public sealed record ArchiveLimits
{
    /// <summary>The largest archive taken as sent (compressed).</summary>
    public long MaxCompressedBytes { get; init; } = 64L << 20;

    /// <summary>The most its files may unpack to, together.</summary>
    public long MaxUnpackedBytes { get; init; } = 64L << 20;

    /// <summary>The most entries (files and folders).</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>The largest metadata entry (a pax extended header, a GNU long name): they are read whole, so a declared gigabyte would be allocated.</summary>
    public int MaxHeaderBytes { get; init; } = 64 << 10;

    /// <summary>The longest path of an entry, in characters.</summary>
    public int MaxPathLength { get; init; } = 1024;

    /// <summary>The longest file or folder name, in UTF-8 bytes (what Linux file systems take).</summary>
    public int MaxNameBytes { get; init; } = 255;

    /// <summary>The most folders a path may go down.</summary>
    public int MaxDepth { get; init; } = 32;
}

/// <summary>An archive that is malformed or past a limit; <see cref="Status"/> says which (400 or 413).</summary>
public sealed class ArchiveRefusedException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;

    public static ArchiveRefusedException TooManyEntries(ArchiveLimits limits) =>
        new($"the archive has more than {limits.MaxEntries} entries", Microsoft.AspNetCore.Http.StatusCodes.Status413PayloadTooLarge);

    public static ArchiveRefusedException TooLarge(ArchiveLimits limits) =>
        new($"the archive's files unpack to more than the {limits.MaxUnpackedBytes} bytes a push may hold", Microsoft.AspNetCore.Http.StatusCodes.Status413PayloadTooLarge);
}
