using System.Diagnostics;
using System.Runtime.Versioning;

namespace BatchOrchestrator.Runtime.Tests.Support;

/// <summary>
/// Makes a file read-only until disposed. File modes do not stop root (as in CI containers),
/// so for root the file is made immutable with chattr instead.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ReadOnlyFile : IDisposable
{
    private readonly string _path;
    private readonly bool _immutable;

    private ReadOnlyFile(string path, bool immutable)
    {
        _path = path;
        _immutable = immutable;
    }

    public static async Task<ReadOnlyFile> MakeAsync(string path)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        if (Environment.UserName != "root")
        {
            return new ReadOnlyFile(path, immutable: false);
        }

        var exit = await ChattrAsync("+i", path);
        if (exit != 0)
        {
            Assert.Inconclusive("Running as root without chattr: no way to make a file read-only here.");
        }

        return new ReadOnlyFile(path, immutable: true);
    }

    private static async Task<int> ChattrAsync(string flag, string path)
    {
        using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (_immutable)
        {
            ChattrAsync("-i", _path).GetAwaiter().GetResult();
        }

        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
