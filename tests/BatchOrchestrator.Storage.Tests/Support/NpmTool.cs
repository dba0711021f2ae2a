using System.Diagnostics;

namespace BatchOrchestrator.Storage.Tests.Support;

/// <summary>
/// A tool the tests run on Node.js, installed from npm at pinned versions into
/// <c>tests/.tools/{name}</c> (git-ignored) on first use. Test projects running at the same time
/// share the install: whichever comes first installs, under a file lock, and the others wait for it.
/// </summary>
internal static class NpmTool
{
    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(10);

    /// <summary>The tool's folder (its packages under <c>node_modules</c>), once <paramref name="marker"/> exists in it.</summary>
    /// <param name="name">The folder under <c>tests/.tools</c>.</param>
    /// <param name="marker">A file of the installed packages, relative to the folder, whose presence means "installed".</param>
    /// <param name="packages">The packages as <c>name@version</c>.</param>
    public static async Task<string> InstallAsync(string name, string marker, IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", ".tools", name);
        Directory.CreateDirectory(folder);
        using var installLock = await LockAsync(Path.Combine(folder, ".install.lock"), cancellationToken);
        if (File.Exists(Path.Combine(folder, marker)))
        {
            return folder;
        }

        var install = new ProcessStartInfo("npm")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "install", "--prefix", folder, "--no-audit", "--no-fund", "--no-save" }.Concat(packages))
        {
            install.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(install) ?? throw new InvalidOperationException("npm did not start");
        var stdout = npm.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(InstallLimit);
        await npm.WaitForExitAsync(limit.Token);
        if (npm.ExitCode != 0 || !File.Exists(Path.Combine(folder, marker)))
        {
            throw new InvalidOperationException($"npm install {string.Join(' ', packages)} failed ({npm.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return folder;
    }

    /// <summary>An exclusive lock on a file, held by whichever test process installs.</summary>
    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(InstallLimit);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Another test process is installing: its install is what this one waits for.
                await Task.Delay(TimeSpan.FromMilliseconds(250), limit.Token);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "BatchOrchestrator.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no BatchOrchestrator.sln above {AppContext.BaseDirectory}");
    }
}
