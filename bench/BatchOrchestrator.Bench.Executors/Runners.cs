using System.Diagnostics;
using System.Runtime.Versioning;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Local;

namespace BatchOrchestrator.Bench.Executors;

/// <summary>Ways to run the same N shell commands two at a time, each returning the wall time.</summary>
[SupportedOSPlatform("linux")]
internal static class Runners
{
    /// <summary>The product path: LocalCommandExecutor launch → poll → collect logs → cleanup, as the engine drives it.</summary>
    public static async Task<TimeSpan> LocalExecutorAsync(string directory, IReadOnlyList<string> scripts, int parallel)
    {
        await using var executor = new LocalCommandExecutor(new NullLogStore());
        var attempt = Guid.NewGuid().ToString("N");
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < scripts.Count)
            {
                var request = new CommandRequest
                {
                    AttemptId = attempt,
                    TaskName = $"+bench+t{i}",
                    Command = ["/bin/sh", "-c", scripts[i]],
                    WorkingDirectory = directory,
                    Log = new TaskLogKey("bench", "bench", "s", attempt, $"+bench+t{i}", 0),
                };
                var status = await executor.LaunchAsync(request, CancellationToken.None);
                while (!status.IsFinished)
                {
                    status = await executor.PollAsync(status.State, CancellationToken.None);
                }

                if (status.Phase != CommandPhase.Succeeded)
                {
                    throw new InvalidOperationException(status.FailureMessage);
                }

                await executor.CollectLogsAsync(status.State, CancellationToken.None);
                await executor.CleanupAsync(status.State, CancellationToken.None);
            }
        }));
        return clock.Elapsed;
    }

    /// <summary>The naive alternative: System.Diagnostics.Process through /usr/bin/setsid (for its own session), output redirected.</summary>
    public static async Task<TimeSpan> ProcessStartAsync(string directory, IReadOnlyList<string> scripts, int parallel)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < scripts.Count)
            {
                var info = new ProcessStartInfo("/usr/bin/setsid")
                {
                    WorkingDirectory = directory,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                info.ArgumentList.Add("/bin/sh");
                info.ArgumentList.Add("-c");
                info.ArgumentList.Add(scripts[i]);
                using var process = Process.Start(info)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                await Task.WhenAll(stdout, stderr);
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"exit {process.ExitCode}");
                }
            }
        }));
        return clock.Elapsed;
    }

    /// <summary>GNU make -j2 over N independent targets with the same recipes.</summary>
    public static async Task<TimeSpan> MakeAsync(string directory, IReadOnlyList<string> scripts, int parallel)
    {
        var makefile = new System.Text.StringBuilder(".PHONY: all");
        makefile.Append('\n').Append("all:");
        for (var i = 0; i < scripts.Count; i++)
        {
            makefile.Append(" t").Append(i);
        }

        makefile.Append('\n');
        for (var i = 0; i < scripts.Count; i++)
        {
            makefile.Append(".PHONY: t").Append(i).Append("\nt").Append(i).Append(":\n\t@").Append(scripts[i]).Append('\n');
        }

        var path = Path.Combine(directory, "Makefile");
        await File.WriteAllTextAsync(path, makefile.ToString());
        var info = new ProcessStartInfo("make", ["-s", $"-j{parallel}", "-f", path]) { WorkingDirectory = directory };
        var clock = Stopwatch.StartNew();
        using var make = Process.Start(info)!;
        await make.WaitForExitAsync();
        var elapsed = clock.Elapsed;
        if (make.ExitCode != 0)
        {
            throw new InvalidOperationException($"make exited with {make.ExitCode}");
        }

        return elapsed;
    }
}
