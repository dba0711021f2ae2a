using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// A command's launch that runs again because its host stopped before the launch's result was saved
/// shows as one more try, even when nothing of the first run is left for the executor to find (the
/// command finished and was cleaned up inside the launch): the launch's durable mark in the run store
/// says it ran. Another launch of the same try number (a group retry) is a new run, not a restart.
/// The launch run again reads its input from the records (the first one was handed the object the
/// orchestrator built) and starts the same command.
/// </summary>
[TestClass]
public sealed class CrashRerunTests
{
    [TestMethod]
    public async Task A_launch_run_again_after_its_host_stopped_counts_as_a_new_try_though_it_left_nothing_behind()
    {
        var (executor, run) = await RunWithHostStopsAsync(hostStops: 1);

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(2, executor.Runs, "the launch was delivered again");
        Assert.AreEqual(2, run.Task("+r+t").Tries, "each run shows as a try");
    }

    [TestMethod]
    public async Task A_launch_delivered_three_times_after_two_stops_of_its_host_counts_three_tries()
    {
        var (executor, run) = await RunWithHostStopsAsync(hostStops: 2);

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(3, executor.Runs, "the launch was delivered three times");
        Assert.AreEqual(3, run.Task("+r+t").Tries, "each run shows as a try, not only the last delivery's");
    }

    [TestMethod]
    public async Task A_launch_run_again_after_its_host_stopped_starts_the_command_the_first_launch_started()
    {
        var executor = new VanishingExecutor { HangingRuns = 1 };
        await using var project = await WorkflowProject.StartAsync(extraExecutors: [_ => executor]);
        project.Write("r.dig", """
            _export:
              greeting: hello
            +t:
              _env:
                PLACE: world
              sh>: echo "$greeting $PLACE"
              container:
                executor: vanishing
            """);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var started = await project.StartAsync("r", cancellationToken: guard.Token);
        await executor.Hanging.WaitAsync(guard.Token);
        await project.RestartAsync();

        var run = await project.WaitAsync(started.AttemptId, guard.Token);

        Assert.IsTrue(run.Succeeded, run.Describe());
        var requests = executor.Requests.ToList();
        Assert.HasCount(2, requests, "the launch was delivered again after the restart");
        var (first, again) = (requests[0], requests[1]);
        Assert.AreEqual("world", again.Environment["PLACE"]);
        Assert.AreEqual("hello", again.Environment["greeting"]);
        Assert.AreEqual(first.Environment["session_time"], again.Environment["session_time"], "the attempt's shared variables are back in the environment");
        CollectionAssert.AreEqual(first.Command.ToList(), again.Command.ToList());
        CollectionAssert.AreEquivalent(first.Environment.ToList(), again.Environment.ToList());
        CollectionAssert.AreEquivalent(first.Files.ToList(), again.Files.ToList());
        Assert.AreEqual(first.WorkingDirectory, again.WorkingDirectory);
        Assert.AreEqual(first.Log, again.Log);
        Assert.AreEqual(first.Container?.GetRawText(), again.Container?.GetRawText());
    }

    /// <summary>
    /// Runs one task on the vanishing executor whose first <paramref name="hostStops"/> launches run
    /// their command and clean up, each host then stopping before the launch's result is saved.
    /// </summary>
    private static async Task<(VanishingExecutor Executor, RunResult Run)> RunWithHostStopsAsync(int hostStops)
    {
        var executor = new VanishingExecutor { HangingRuns = hostStops };
        await using var project = await WorkflowProject.StartAsync(extraExecutors: [_ => executor]);
        project.Write("r.dig", """
            +t:
              sh>: echo the vanishing executor runs nothing
              container:
                executor: vanishing
            """);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var started = await project.StartAsync("r", cancellationToken: guard.Token);
        for (var stop = 0; stop < hostStops; stop++)
        {
            await executor.Hanging.WaitAsync(guard.Token);
            await project.RestartAsync();
        }

        return (executor, await project.WaitAsync(started.AttemptId, guard.Token));
    }

    [TestMethod]
    public async Task A_group_retry_runs_its_children_again_each_run_counted_once()
    {
        var executor = new VanishingExecutor { HangingRuns = 0 };
        await using var project = await WorkflowProject.StartAsync(extraExecutors: [_ => executor]);
        project.Write("g.dig", """
            +group:
              _retry: 1
              +t:
                sh>: echo the vanishing executor runs nothing
                container:
                  executor: vanishing
              +check:
                sh>: test -f second
            """);
        executor.OnRun = runs =>
        {
            if (runs == 2)
            {
                project.Write("second", "the group's second run passes its check");
            }
        };
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var started = await project.StartAsync("g", cancellationToken: guard.Token);

        var run = await project.WaitAsync(started.AttemptId, guard.Token);

        Assert.AreEqual(2, executor.Runs, run.Describe());
        Assert.AreEqual(1, run.Task("+g+group+t").Tries, "the group's second run of +t is its try 0 again, not a restart of the first");
    }

    /// <summary>
    /// Runs a command inside its launch and leaves nothing of it. The first <see cref="HangingRuns"/>
    /// launches then hang until their host stops, as if the host died before saving the result.
    /// </summary>
    private sealed class VanishingExecutor : ICommandExecutor
    {
        private int _runs;

        /// <summary>Released once by each launch that ran its command and hangs.</summary>
        public SemaphoreSlim Hanging { get; } = new(0);

        public int HangingRuns { get; init; } = 1;

        public Action<int>? OnRun { get; set; }

        /// <summary>The commands it was handed, in order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<CommandRequest> Requests { get; } = new();

        public int Runs => Volatile.Read(ref _runs);

        public string Name => "vanishing";

        // Like a local process: nothing a new host could adopt.
        public bool RelaunchRunsAgain => true;

        public async Task<CommandStatus> LaunchAsync(CommandRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            var runs = Interlocked.Increment(ref _runs);
            OnRun?.Invoke(runs);
            if (runs <= HangingRuns)
            {
                Hanging.Release();
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return new CommandStatus { Phase = CommandPhase.Succeeded, ExitCode = 0, State = new CommandState(Name, JsonSerializer.SerializeToElement(runs)) };
        }

        public Task<CommandStatus> PollAsync(CommandState state, CancellationToken cancellationToken) =>
            Task.FromResult(new CommandStatus { Phase = CommandPhase.Succeeded, ExitCode = 0, State = state });

        public Task<CommandState> CollectLogsAsync(CommandState state, CancellationToken cancellationToken) => Task.FromResult(state);

        public Task CancelAsync(CommandState state, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CleanupAsync(CommandState state, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
