using System.Diagnostics;

namespace BatchOrchestrator.Runtime.Tests.Crash;

/// <summary>The crash host as a real child process.</summary>
internal sealed class CrashHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CrashHostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data == "DONE")
            {
                _done.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>Completes when the host reports that every instance finished.</summary>
    public Task Done => _done.Task;

    /// <param name="pauseAt">An activity (<c>instance/task</c>) that waits for the test before it ends (see the host's usage).</param>
    public static CrashHostProcess Start(string database, string executionsFile, int instances, string? pauseAt = null)
    {
        // The host is built next to this test project (a project reference without the assembly).
        var testOutput = AppContext.BaseDirectory;
        var hostDll = Path.GetFullPath(testOutput.Replace("BatchOrchestrator.Runtime.Tests", "BatchOrchestrator.Runtime.CrashHost", StringComparison.Ordinal));
        hostDll = Path.Combine(hostDll, "BatchOrchestrator.Runtime.CrashHost.dll");
        Assert.IsTrue(File.Exists(hostDll), $"crash host not built at {hostDll}");
        string[] arguments = [hostDll, database, executionsFile, instances.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var start = new ProcessStartInfo("dotnet", pauseAt is null ? arguments : [.. arguments, pauseAt])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return new CrashHostProcess(Process.Start(start)!);
    }

    /// <summary>SIGKILL: no cleanup, no flush, nothing the process can react to.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
