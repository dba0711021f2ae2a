using System.Globalization;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Executors.Local;
using BatchOrchestrator.Executors.Tests.Support;

namespace BatchOrchestrator.Executors.Tests.Local;

/// <summary>
/// How a command's end reaches its task, on both ways the executor sees exits: pidfds, and SIGCHLD
/// where <c>pidfd_open</c> is refused (forced here with <c>withoutPidfds: true</c>).
/// </summary>
[TestClass]
public sealed class LocalCommandExitTests
{
    [TestMethod]
    public async Task Exits_are_seen_through_pidfds_unless_they_are_turned_off()
    {
        await using var withPidfds = new ExecutorHarness();
        await using var withoutPidfds = new ExecutorHarness(new LocalExecutorOptions { WithoutPidfds = true });
        Assert.IsTrue(withPidfds.Executor.SeesExitsThroughPidfds, "this kernel (Linux ≥ 5.4) has pidfds");
        Assert.IsFalse(withoutPidfds.Executor.SeesExitsThroughPidfds);
    }

    [TestMethod]
    [DataRow(false, 0)]
    [DataRow(false, 7)]
    [DataRow(false, 255)]
    [DataRow(true, 0)]
    [DataRow(true, 7)]
    [DataRow(true, 255)]
    public async Task The_exit_code_is_the_commands(bool withoutPidfds, int code)
    {
        await using var harness = Harness(withoutPidfds);
        var request = harness.Sh($"echo out; exit {code}");
        var status = await harness.RunAsync(request);
        Assert.AreEqual(code == 0 ? CommandPhase.Succeeded : CommandPhase.Failed, status.Phase);
        Assert.AreEqual(code, status.ExitCode);
        Assert.AreEqual("out\n", harness.Log(request));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task A_command_killed_by_a_signal_fails_naming_the_signal(bool withoutPidfds)
    {
        await using var harness = Harness(withoutPidfds);
        var status = await harness.RunAsync(harness.Sh("echo about to go; kill -TERM $$"));
        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.AreEqual(128 + 15, status.ExitCode);
        Assert.Contains("killed by signal 15", status.FailureMessage!);
        Assert.Contains("about to go", status.FailureMessage!);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task Output_larger_than_a_pipe_written_right_before_the_exit_is_all_in_the_log(bool withoutPidfds)
    {
        // 1 MiB in lines, more than a pipe holds (64 KiB), the last line a moment before the exit.
        await using var harness = Harness(withoutPidfds);
        var request = harness.Sh("seq 1 150000; echo last; exit 4");
        var status = await harness.RunAsync(request);
        Assert.AreEqual(4, status.ExitCode);
        var expected = string.Concat(Enumerable.Range(1, 150000).Select(i => $"{i}\n")) + "last\n";
        Assert.AreEqual(expected, harness.Log(request));
        Assert.EndsWith("149999\n150000\nlast", status.FailureMessage!);
    }

    [TestMethod]
    public async Task A_command_whose_log_cannot_keep_up_waits_for_it_and_loses_nothing()
    {
        await using var harness = new ExecutorHarness();
        harness.Logs.Hold();
        var marker = Path.Combine(harness.Root.Path, "wrote-all");
        var request = harness.Sh($"seq 1 100000; touch '{marker}'");
        var launched = await harness.Executor.LaunchAsync(request, CancellationToken.None);
        var pid = LocalCommandData.From(launched.State).Pid;

        // Read up to the backlog, the rest stays in the pipe: seq blocks writing to it.
        await ExecutorHarness.Until(() => Processes.ChildrenOf(pid).Any(seq => Processes.WaitsIn(seq, "pipe_write", "anon_pipe_write")), "seq waits to write to its output");
        Assert.IsFalse(File.Exists(marker), "the command cannot get past its output while the log is behind");

        harness.Logs.Release();
        var status = await harness.WaitAsync(launched.State);
        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.AreEqual(string.Concat(Enumerable.Range(1, 100000).Select(i => $"{i}\n")), harness.Log(request));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task A_background_child_holding_the_output_does_not_hold_the_task_and_its_output_still_reaches_the_log(bool withoutPidfds)
    {
        // The shell exits; a child it left in the background keeps the output pipe open and writes
        // later. The task finishes with the shell's code after the output drain timeout; what the
        // child writes after that still reaches the log until the try is cleaned up.
        await using var harness = Harness(withoutPidfds, new LocalExecutorOptions { OutputDrainTimeout = TimeSpan.FromMilliseconds(200) });
        var release = Path.Combine(harness.Root.Path, "release");
        var request = harness.Sh($"(while [ ! -e '{release}' ]; do sleep 0.02; done; echo from-background) & echo from-shell; exit 5");
        var status = await harness.RunAsync(request);
        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.AreEqual(5, status.ExitCode);
        Assert.Contains("from-shell", status.FailureMessage!);

        await File.WriteAllTextAsync(release, "");
        await ExecutorHarness.Until(() => harness.Log(request) == "from-shell\nfrom-background\n", "the background child's line is in the log");
        await harness.Executor.CleanupAsync(status.State, CancellationToken.None);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task A_running_command_that_is_canceled_is_killed_and_fails_as_canceled(bool withoutPidfds)
    {
        await using var harness = Harness(withoutPidfds);
        var request = harness.Sh("echo started; exec sleep 300");
        var launched = await harness.Executor.LaunchAsync(request, CancellationToken.None);
        await ExecutorHarness.Until(() => harness.Log(request) == "started\n", "the command has started");
        var pid = LocalCommandData.From(launched.State).Pid;

        await harness.Executor.CancelAsync(launched.State, CancellationToken.None);

        var status = await harness.WaitAsync(launched.State);
        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.Contains("canceled", status.FailureMessage!);
        Assert.AreEqual(128 + 15, status.ExitCode, "SIGTERM, the first signal of a cancel, ends sleep");
        Assert.IsTrue(Processes.IsDead(pid));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task Two_hundred_commands_two_at_a_time_each_finish_with_their_own_code_and_output(bool withoutPidfds)
    {
        await using var harness = Harness(withoutPidfds);
        using var slots = new SemaphoreSlim(2);
        var runs = Enumerable.Range(0, 200).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                var request = harness.Sh($"echo task-{i}; exit {i % 5}");
                var status = await harness.RunAsync(request);
                await harness.Executor.CleanupAsync(status.State, CancellationToken.None);
                return (i, status.ExitCode, Log: harness.Log(request));
            }
            finally
            {
                slots.Release();
            }
        });

        foreach (var (i, code, log) in await Task.WhenAll(runs))
        {
            Assert.AreEqual(i % 5, code, $"command {i}");
            Assert.AreEqual($"task-{i}\n", log, $"command {i}");
        }
    }

    private static ExecutorHarness Harness(bool withoutPidfds, LocalExecutorOptions? options = null) =>
        new((options ?? new LocalExecutorOptions()) with { WithoutPidfds = withoutPidfds });
}
