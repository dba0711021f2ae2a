using System.Diagnostics;
using System.Runtime.Versioning;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Local;

namespace BatchOrchestrator.Bench.Executors;

/// <summary>Ways to run the same shape of shell commands, each returning the wall time.</summary>
[SupportedOSPlatform("linux")]
internal static class Runners
{
    /// <summary>make's jobs: the peers' setting (make -j2), whatever a stage's own limit.</summary>
    private const int MakeJobs = 2;

    /// <summary>The product path: LocalCommandExecutor launch → poll → collect logs → cleanup, as the engine drives it.</summary>
    public static async Task<TimeSpan> LocalExecutorAsync(string directory, Shape shape)
    {
        await using var executor = new LocalCommandExecutor(new NullLogStore());
        var attempt = Guid.NewGuid().ToString("N");
        var clock = Stopwatch.StartNew();
        foreach (var stage in shape.Stages)
        {
            await EachAsync(stage, async command =>
            {
                var request = new CommandRequest
                {
                    AttemptId = attempt,
                    TaskName = $"+bench+{command.Name}",
                    Command = ["/bin/sh", "-c", command.Script],
                    WorkingDirectory = directory,
                    Log = new TaskLogKey("bench", "bench", "s", attempt, $"+bench+{command.Name}", 0),
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
            });
        }

        return clock.Elapsed;
    }

    /// <summary>The naive alternative: System.Diagnostics.Process through /usr/bin/setsid (for its own session), output redirected.</summary>
    public static async Task<TimeSpan> ProcessStartAsync(string directory, Shape shape)
    {
        var clock = Stopwatch.StartNew();
        foreach (var stage in shape.Stages)
        {
            await EachAsync(stage, async command =>
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
                info.ArgumentList.Add(command.Script);
                using var process = Process.Start(info)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                await Task.WhenAll(stdout, stderr);
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"exit {process.ExitCode}");
                }
            });
        }

        return clock.Elapsed;
    }

    /// <summary>GNU make -j2 over the same commands as targets, each stage's after every target of the stage before.</summary>
    public static async Task<TimeSpan> MakeAsync(string directory, Shape shape)
    {
        var makefile = new System.Text.StringBuilder(".PHONY: all");
        makefile.Append('\n').Append("all:");
        foreach (var command in shape.Stages[^1].Commands)
        {
            makefile.Append(' ').Append(command.Name);
        }

        makefile.Append('\n');
        IReadOnlyList<BenchCommand> before = [];
        foreach (var stage in shape.Stages)
        {
            foreach (var command in stage.Commands)
            {
                makefile.Append(".PHONY: ").Append(command.Name).Append('\n').Append(command.Name).Append(':');
                foreach (var earlier in before)
                {
                    makefile.Append(' ').Append(earlier.Name);
                }

                makefile.Append("\n\t@").Append(command.Script).Append('\n');
            }

            before = stage.Commands;
        }

        var path = Path.Combine(directory, "Makefile");
        await File.WriteAllTextAsync(path, makefile.ToString());
        var info = new ProcessStartInfo("make", ["-s", $"-j{MakeJobs}", "-f", path]) { WorkingDirectory = directory };
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

    /// <summary>Runs <paramref name="run"/> on each command of <paramref name="stage"/>, at most its <see cref="Stage.Parallel"/> at a time.</summary>
    private static Task EachAsync(Stage stage, Func<BenchCommand, Task> run)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, Math.Min(stage.Parallel, stage.Commands.Count)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < stage.Commands.Count)
            {
                await run(stage.Commands[i]);
            }
        }));
    }
}
