using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchOrchestrator.Cli.Remote;

/// <summary>Where a running <c>bo server</c> on a state folder answers, and its token (null when it takes none).</summary>
public sealed record ServerAddress(string Url, string? Token, int Pid);

/// <summary>
/// <c>server.json</c> in the state folder: written by <c>bo server</c> while it runs (readable by
/// its user only, since it holds the token), read by <c>bo run</c>, <c>bo retry</c> and
/// <c>bo kill</c>, which then go through that server instead of opening the state folder it holds.
/// A file left by a server that died is ignored: its process is gone.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static partial class ServerAddressFile
{
    public const string FileName = "server.json";

    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, FileName);

    public static async Task WriteAsync(string stateDirectory, ServerAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        Directory.CreateDirectory(stateDirectory);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using var stream = new FileStream(PathIn(stateDirectory), options);
        // An existing file keeps its mode on truncation: set it again.
        File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await JsonSerializer.SerializeAsync(stream, new Stored(address.Url, address.Token, address.Pid), StoredJsonContext.Default.Stored, cancellationToken);
    }

    /// <summary>The server running on the state folder, or null when none is (no file, or its process ended).</summary>
    public static ServerAddress? TryRead(string stateDirectory)
    {
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize(File.ReadAllText(PathIn(stateDirectory)), StoredJsonContext.Default.Stored);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }

        return stored is { Url: { Length: > 0 } url } && IsAlive(stored.Pid) ? new ServerAddress(url, stored.Token, stored.Pid) : null;
    }

    public static void Delete(string stateDirectory, int pid)
    {
        // Only its own: a second server refused on this folder must not remove the first one's.
        if (TryRead(stateDirectory)?.Pid == pid)
        {
            File.Delete(PathIn(stateDirectory));
        }
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    private sealed record Stored(string Url, string? Token, int Pid);

    // Described at compile time: `bo` is a Native AOT binary, without reflection to describe it.
    [JsonSerializable(typeof(Stored))]
    private sealed partial class StoredJsonContext : JsonSerializerContext;
}
