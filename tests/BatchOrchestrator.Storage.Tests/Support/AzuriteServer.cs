using System.Diagnostics;

namespace BatchOrchestrator.Storage.Tests.Support;

/// <summary>
/// A real Azurite Blob service for tests: installed from npm into <c>tests/.tools/azurite</c>
/// (see <see cref="NpmTool"/>) when missing, started in memory on a loopback port it binds as port 0
/// (the OS picks a free one; Azurite says which), stopped at the end: a port found free beforehand
/// could be taken by another test's server or an outgoing connection before Azurite binds it.
/// Test projects running at the same time share the install (under a file lock), not the server.
/// </summary>
internal sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>The pinned Azurite release the tests run against.</summary>
    public const string Version = "3.37.0";

    /// <summary>Azurite's well-known development account (public, documented; not a secret).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(1);

    private readonly Process _process;

    private AzuriteServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public static async Task<AzuriteServer> StartAsync(CancellationToken cancellationToken)
    {
        var script = await InstallAsync(cancellationToken);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            script, "--blobHost", "127.0.0.1", "--blobPort", "0",
            "--inMemoryPersistence", "--disableTelemetry", "--silent", "--skipApiVersionCheck", "--loose",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => Watch(e.Data);
        process.ErrorDataReceived += (_, e) => Watch(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"Azurite exited before listening:\n{output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        int port;
        try
        {
            port = await listening.Task.WaitAsync(StartLimit, cancellationToken);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        return new AzuriteServer(process, port);

        void Watch(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            // "Azurite Blob service successfully listens on http://127.0.0.1:41407": the address it bound.
            const string listens = "successfully listens on ";
            var at = line.IndexOf(listens, StringComparison.Ordinal);
            if (at >= 0)
            {
                listening.TrySetResult(new Uri(line[(at + listens.Length)..].Trim()).Port);
            }
        }
    }

    /// <summary>The Blob service's entry script, installing Azurite first when it is missing.</summary>
    private static async Task<string> InstallAsync(CancellationToken cancellationToken)
    {
        const string script = "node_modules/azurite/dist/src/blob/main.js";
        return Path.Combine(await NpmTool.InstallAsync("azurite", script, [$"azurite@{Version}"], cancellationToken), script);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
