using System.Diagnostics;
using System.Text.RegularExpressions;
using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Support;

/// <summary><c>bo server</c> as a child process (a real process to SIGKILL and to measure), with a client at the address it prints.</summary>
internal sealed partial class BoServerProcess : IDisposable
{
    private readonly Process _process;

    private BoServerProcess(Process process, Uri address)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = address, Timeout = TestServer.Guard };
        Client.DefaultRequestHeaders.Add(BatchOrchestrator.Api.Guards.RequestGuard.RequestedByHeader, "bo-tests");
    }

    public HttpClient Client { get; }

    public int Pid => _process.Id;

    /// <summary>Starts <c>bo server --project <paramref name="project"/> --port 0</c> and waits for the line saying where it listens.</summary>
    public static async Task<BoServerProcess> StartAsync(string project, params string[] more)
    {
        var process = Start(project, ["server", "--project", project, "--port", "0", .. more]);
        using var guard = new CancellationTokenSource(TestServer.Guard);
        var line = await process.StandardOutput.ReadLineAsync(guard.Token);
        var match = line is null ? null : Address().Match(line);
        if (match is not { Success: true })
        {
            process.Kill();
            throw new AssertFailedException($"bo server did not say where it listens: {line}{await process.StandardError.ReadToEndAsync(guard.Token)}");
        }

        return new BoServerProcess(process, new Uri(match.Value));
    }

    /// <summary>Runs <c>bo</c> with <paramref name="args"/> in a child process to its end: its exit code and everything it printed.</summary>
    public static Task<(int Exit, string Output)> RunToEndAsync(string folder, params string[] args) => RunToEndAsync(folder, args, withoutRoot: false);

    /// <summary>
    /// As <see cref="RunToEndAsync(string, string[])"/>, but as the user <c>nobody</c> when the tests run as root: a
    /// file's permissions stop another user's writes, never root's.
    /// </summary>
    public static Task<(int Exit, string Output)> RunToEndWithoutRootAsync(string folder, params string[] args) =>
        RunToEndAsync(folder, args, withoutRoot: Environment.UserName == "root");

    private static async Task<(int Exit, string Output)> RunToEndAsync(string folder, string[] args, bool withoutRoot)
    {
        using var process = Start(folder, args, withoutRoot);
        using var guard = new CancellationTokenSource(TestServer.Guard);
        var output = process.StandardOutput.ReadToEndAsync(guard.Token);
        var error = process.StandardError.ReadToEndAsync(guard.Token);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            // Past the guard (a bo server that started when it should have refused): not left running after the test.
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>The process's resident memory now and at its peak since it started or <see cref="ResetPeak"/>, in bytes (Linux /proc).</summary>
    public (long Now, long Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{Pid}/status");
        long Read(string field) => long.Parse(status.Single(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return (Read("VmRSS:"), Read("VmHWM:"));
    }

    /// <summary>Makes the peak resident memory the current one (Linux: writing 5 to clear_refs).</summary>
    public void ResetPeak() => File.WriteAllText($"/proc/{Pid}/clear_refs", "5");

    /// <summary>SIGKILL: no shutdown, as in a crash.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static Process Start(string folder, string[] args, bool withoutRoot = false)
    {
        var bo = Path.Combine(Path.GetDirectoryName(typeof(BoCommandLine).Assembly.Location)!, "bo.dll");
        var start = new ProcessStartInfo(withoutRoot ? "setpriv" : "dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        if (withoutRoot)
        {
            // util-linux's setpriv (in every Debian): nobody's uid and gid, no supplementary groups, a home it can write.
            foreach (var arg in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet" })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["HOME"] = folder;
        }

        start.ArgumentList.Add(bo);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new AssertFailedException("could not start bo");
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/?")]
    private static partial Regex Address();
}
