namespace BatchOrchestrator.Executors.Local;

/// <summary>
/// Task folders hold resolved secrets (<c>py&gt;</c>'s <c>task.json</c>, a script with a secret
/// in it), so other local users must not read them: folders are made 0700 and files 0600, and the
/// per-user root under a shared place (<c>/dev/shm</c>, the temp folder) must be this user's own
/// 0700 folder, not a link: another user could have made it first to read what is put there.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class PrivateFolders
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Makes <paramref name="folder"/> (and any missing folder above it) 0700.</summary>
    public static void Create(string folder) => Directory.CreateDirectory(folder, OwnerOnly);

    /// <summary>Makes the per-user root, or checks one that exists: a folder, not a link, 0700 (set so when this user owns it).</summary>
    public static void SecureRoot(string root)
    {
        var info = new DirectoryInfo(root);
        if (!info.Exists)
        {
            Create(root);
            return;
        }

        if (info.LinkTarget is not null)
        {
            throw new IOException($"{root} is a symbolic link: task folders are made only in a folder of this user's own (remove it, or set another task root)");
        }

        if (info.UnixFileMode != OwnerOnly)
        {
            try
            {
                info.UnixFileMode = OwnerOnly;
            }
            catch (UnauthorizedAccessException)
            {
                throw new IOException($"{root} belongs to another user: task folders hold secrets and are made only in a folder of this user's own (remove it, or set another task root)");
            }
        }
    }

    /// <summary>Writes a file only its owner can read.</summary>
    public static async Task WriteAsync(string path, string content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerReadWrite, Options = FileOptions.Asynchronous };
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(content.AsMemory(), cancellationToken).ConfigureAwait(false);
    }
}
