using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Executors.Local;
using BatchOrchestrator.Executors.Tests.Support;

namespace BatchOrchestrator.Executors.Tests.Local;

[TestClass]
public sealed class LocalCommandExecutorTests
{
    [TestMethod]
    public async Task ExitZeroSucceeds()
    {
        await using var harness = new ExecutorHarness();
        var status = await harness.RunAsync(harness.Sh("true"));
        Assert.AreEqual(CommandPhase.Succeeded, status.Phase);
        Assert.AreEqual(0, status.ExitCode);
        Assert.IsNull(status.OutputText);
    }

    [TestMethod]
    public async Task NonZeroExitFailsWithExitCodeAndLastTwentyLines()
    {
        await using var harness = new ExecutorHarness();
        var status = await harness.RunAsync(harness.Sh("for i in $(seq -w 1 30); do echo \"line-$i.\"; done; exit 3"));
        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.AreEqual(3, status.ExitCode);
        Assert.Contains("exit code 3", status.FailureMessage!);
        Assert.Contains("line-11.", status.FailureMessage!);
        Assert.Contains("line-30.", status.FailureMessage!);
        Assert.DoesNotContain("line-10.", status.FailureMessage!);
    }

    [TestMethod]
    public async Task ACommandThatClosesItsOutputBeforeItExitsIsSeenToExitWithItsCode()
    {
        // The end of output is where the executor first looks for the exit; here it comes while the command still runs.
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("echo before; exec >&- 2>&-; sleep 0.2; exit 3");
        var status = await harness.RunAsync(request);
        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.AreEqual(3, status.ExitCode);
        Assert.AreEqual("before\n", harness.Log(request));
    }

    [TestMethod]
    public async Task LogHasStdoutAndStderrInOrder()
    {
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("echo to-stdout; echo to-stderr >&2; echo again");
        var status = await harness.RunAsync(request);
        Assert.AreEqual(CommandPhase.Succeeded, status.Phase);
        Assert.AreEqual("to-stdout\nto-stderr\nagain\n", harness.Log(request));
    }

    [TestMethod]
    public async Task LargeOutputIsNotLost()
    {
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("seq 1 200000");
        var status = await harness.RunAsync(request);
        Assert.AreEqual(CommandPhase.Succeeded, status.Phase);
        var lines = harness.Log(request).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(200000, lines);
        Assert.AreEqual("200000", lines[^1]);
    }

    [TestMethod]
    public async Task OutputReachesTheLogWhileTheCommandRuns()
    {
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("echo first; exec sleep 300");
        var launched = await harness.Executor.LaunchAsync(request, CancellationToken.None);
        await ExecutorHarness.Until(() => harness.Log(request).Contains("first", StringComparison.Ordinal), "the log has the first line");
        var running = await harness.Executor.PollAsync(launched.State, CancellationToken.None);
        Assert.AreEqual(CommandPhase.Running, running.Phase);
        await harness.Executor.CancelAsync(launched.State, CancellationToken.None);
    }

    [TestMethod]
    public async Task TaskFilesAreReadableByTheirOwnerOnly()
    {
        // py>'s task.json holds resolved secrets: it was 0644 in a 0755 folder under /dev/shm.
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("stat -c '%a %n' \"$BO_TASK_DIR\" \"$BO_TASK_DIR/task.json\" \"$BO_TASK_DIR/sub/more.json\" '" + harness.Options.TaskRoot + "'") with
        {
            Files = new Dictionary<string, string> { ["task.json"] = "{\"secret\":\"s3cr3t\"}", ["sub/more.json"] = "{}" },
        };
        var status = await harness.RunAsync(request);
        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        var modes = harness.Log(request).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).ToArray();
        CollectionAssert.AreEqual(new[] { "700", "600", "600", "700" }, modes, harness.Log(request));
    }

    [TestMethod]
    public async Task AScriptHoldingASecretIsNotInTheProcessArguments()
    {
        // An inline ${secret:...} in sh> showed in ps: the shell's -c argument held it.
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("token=s3cr3t-value; tr '\\0' ' ' < /proc/$$/cmdline; echo; echo \"len=${#token}\"") with
        {
            SecretParts = new CommandSecretParts([], Command: true, Files: false),
        };
        var status = await harness.RunAsync(request);
        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        var log = harness.Log(request);
        Assert.DoesNotContain("s3cr3t-value", log);
        Assert.Contains(".bo-command.sh", log);
        Assert.Contains("len=12", log, "the script ran whole");

        var other = harness.Sh("true") with { Command = ["/usr/bin/env", "TOKEN=s3cr3t-value", "true"], SecretParts = new CommandSecretParts([], Command: true, Files: false) };
        var refused = await Assert.ThrowsAsync<Engine.Operators.TaskFailure>(() => harness.RunAsync(other));
        Assert.Contains("environment variable", refused.Message);
    }

    [TestMethod]
    public async Task ATaskRootMadeByAnotherUserOrALinkIsRefused()
    {
        await using var harness = new ExecutorHarness();
        Directory.CreateSymbolicLink(harness.Options.TaskRoot, harness.Root.Path);
        var error = await Assert.ThrowsAsync<IOException>(() => harness.Executor.LaunchAsync(harness.Sh("true"), CancellationToken.None));
        Assert.Contains("is a symbolic link", error.Message);
    }

    [TestMethod]
    public async Task EnvironmentIsTheHostsPlusTheRequests()
    {
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("echo \"path=$PATH\"; echo \"mine=$MY_VAR\"") with
        {
            Environment = new Dictionary<string, string> { ["MY_VAR"] = "a b $(c)" },
        };
        await harness.RunAsync(request);
        var log = harness.Log(request);
        Assert.Contains($"path={Environment.GetEnvironmentVariable("PATH")}\n", log);
        Assert.Contains("mine=a b $(c)\n", log);
    }

    [TestMethod]
    public async Task RunsInTheWorkingDirectory()
    {
        await using var harness = new ExecutorHarness();
        var directory = Directory.CreateDirectory(Path.Combine(harness.Root.Path, "project dir")).FullName;
        var request = harness.Sh("pwd") with { WorkingDirectory = directory };
        await harness.RunAsync(request);
        Assert.AreEqual(directory + "\n", harness.Log(request));
    }

    [TestMethod]
    public async Task FilesGoToTheTaskFolderAndOutputFileComesBack()
    {
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("cat \"$BO_TASK_DIR/input/data.txt\" > \"$BO_OUTPUT\"; echo \"$BO_OUTPUT\"") with
        {
            Files = new Dictionary<string, string> { ["input/data.txt"] = "k=v\n" },
        };
        var status = await harness.RunAsync(request);
        Assert.AreEqual("k=v\n", status.OutputText);
        var taskDirectory = Path.GetDirectoryName(harness.Log(request).Trim())!;
        Assert.IsTrue(Directory.Exists(taskDirectory));
        await harness.Executor.CleanupAsync(status.State, CancellationToken.None);
        Assert.IsFalse(Directory.Exists(taskDirectory));
        await harness.Executor.CleanupAsync(status.State, CancellationToken.None);
    }

    [TestMethod]
    public async Task FileOutsideTheTaskFolderIsRefused()
    {
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("true") with { Files = new Dictionary<string, string> { ["../escape.txt"] = "x" } };
        await Assert.ThrowsExactlyAsync<BatchOrchestrator.Engine.Operators.TaskFailure>(
            () => harness.Executor.LaunchAsync(request, CancellationToken.None));
    }

    [TestMethod]
    public async Task TimeoutKillsTheCommand()
    {
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("echo started; sleep 300") with { Timeout = TimeSpan.FromMilliseconds(300) };
        var status = await harness.RunAsync(request);
        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.Contains("timed out after 0.3s", status.FailureMessage!);
        Assert.Contains("started", status.FailureMessage!);
    }

    [TestMethod]
    public async Task CancelKillsTheWholeProcessGroup()
    {
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("sleep 300 & echo \"child=$!\"; wait");
        var launched = await harness.Executor.LaunchAsync(request, CancellationToken.None);
        await ExecutorHarness.Until(() => harness.Log(request).Contains('\n', StringComparison.Ordinal), "the script reports its child");
        var childPid = int.Parse(harness.Log(request).Trim()["child=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var shellPid = LocalCommandData.From(launched.State).Pid;
        Assert.IsFalse(Processes.IsDead(childPid));

        await harness.Executor.CancelAsync(launched.State, CancellationToken.None);

        await ExecutorHarness.Until(() => Processes.IsDead(childPid), $"the background child {childPid} is dead");
        Assert.IsTrue(Processes.IsDead(shellPid));
        var status = await harness.WaitAsync(launched.State);
        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.Contains("canceled", status.FailureMessage!);
    }

    [TestMethod]
    public async Task LaunchingTheSameTryAgainAdoptsTheFirstProcess()
    {
        await using var harness = new ExecutorHarness();
        var marker = Path.Combine(harness.Root.Path, "runs.txt");
        var request = harness.Sh($"echo run >> '{marker}'");
        var launches = await Task.WhenAll(
            harness.Executor.LaunchAsync(request, CancellationToken.None),
            harness.Executor.LaunchAsync(request, CancellationToken.None));
        var again = await harness.Executor.LaunchAsync(request, CancellationToken.None);
        var pids = launches.Append(again).Select(s => LocalCommandData.From(s.State).Pid).Distinct().ToList();
        Assert.HasCount(1, pids);
        await harness.WaitAsync(again.State);
        Assert.AreEqual("run\n", File.ReadAllText(marker));
    }

    [TestMethod]
    public async Task UnknownProgramFailsWithAClearMessage()
    {
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("x") with { Command = ["no-such-program-here"] };
        var status = await harness.RunAsync(request);
        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.Contains("Cannot start 'no-such-program-here'", status.FailureMessage!);
    }

    [TestMethod]
    public async Task StateOfAStoppedHostIsReportedLostAndItsProcessKilled()
    {
        await using var first = new ExecutorHarness();
        var request = first.Sh("exec sleep 300");
        var launched = await first.Executor.LaunchAsync(request, CancellationToken.None);
        var pid = LocalCommandData.From(launched.State).Pid;

        // A new executor stands for the host after a restart: it did not start this process.
        await using var restarted = new ExecutorHarness();
        var status = await restarted.Executor.PollAsync(launched.State, CancellationToken.None);

        Assert.AreEqual(CommandPhase.Lost, status.Phase);
        Assert.Contains($"pid {pid}", status.FailureMessage!);
        Assert.Contains("must run again", status.FailureMessage!);
        await ExecutorHarness.Until(() => Processes.IsDead(pid), "the orphaned process is dead");
    }

    [TestMethod]
    public async Task ATryLeftRunningByAStoppedHostIsKilledWhenItIsLaunchedAgainAndCountsAsRestarted()
    {
        await using var first = new ExecutorHarness();
        var request = first.Sh("exec sleep 300");
        var launched = await first.Executor.LaunchAsync(request, CancellationToken.None);
        var pid = LocalCommandData.From(launched.State).Pid;
        Assert.IsFalse(launched.Restarted);

        // A new executor on the same task root stands for the host after a restart.
        await using var restarted = new LocalCommandExecutor(first.Logs, first.Options);
        var again = await restarted.LaunchAsync(request with { Command = ["/bin/sh", "-c", "echo second run"] }, CancellationToken.None);

        Assert.IsTrue(again.Restarted, "the try ran before, under the stopped host");
        await ExecutorHarness.Until(() => Processes.IsDead(pid), "the first process is dead");
        Assert.AreNotEqual(pid, LocalCommandData.From(again.State).Pid);
        var finished = await restarted.PollAsync(again.State, CancellationToken.None);
        Assert.AreEqual(CommandPhase.Succeeded, finished.Phase);
        await restarted.CleanupAsync(finished.State, CancellationToken.None);
        Assert.IsFalse(Directory.Exists(LocalCommandData.From(finished.State).TaskDirectory), "cleanup removes the try folder");
    }

    [TestMethod]
    public async Task CleanupRemovesTheTryFolderWithWhatTheCommandLeftInIt()
    {
        await using var harness = new ExecutorHarness();
        var request = harness.Sh("mkdir -p \"$BO_TASK_DIR/sub\" && echo x > \"$BO_TASK_DIR/sub/f\" && echo k=v > \"$BO_OUTPUT\"");
        var status = await harness.RunAsync(request);
        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.AreEqual("k=v\n", status.OutputText);

        await harness.Executor.CleanupAsync(status.State, CancellationToken.None);

        Assert.IsFalse(Directory.Exists(LocalCommandData.From(status.State).TaskDirectory));
        Assert.IsTrue(Directory.Exists(harness.Options.TaskRoot), "the task root stays");
    }
}
