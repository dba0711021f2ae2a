using System.Collections.Concurrent;
using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class KillTests
{
    [TestMethod]
    public async Task Killing_an_attempt_stops_its_processes_cancels_its_tasks_and_runs_nothing_new()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("k.dig", """
            +long:
              sh>: sleep 60 & echo $! > child.pid; wait
            +never:
              sh>: touch never.txt
            """);

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var started = await project.StartAsync("k");
        await project.WaitForTaskAsync(started.AttemptId, "+k+long", TaskState.Running);
        using (var pidGuard = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!project.Exists("child.pid") || project.Read("child.pid").Length == 0)
            {
                await Task.Delay(20, pidGuard.Token);
            }
        }

        var childPid = int.Parse(project.Read("child.pid").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsTrue(await project.Engine!.KillAsync(started.AttemptId, CancellationToken.None));

        while (Directory.Exists($"/proc/{childPid}") && !File.ReadAllText($"/proc/{childPid}/stat").Contains(") Z ", StringComparison.Ordinal))
        {
            await Task.Delay(20, guard.Token);
        }

        var attempt = await project.Engine.Runs.GetAttemptAsync(started.AttemptId, CancellationToken.None);
        Assert.AreEqual(AttemptStatus.Killed, attempt!.Status);
        var tasks = await project.Engine.Runs.GetTasksAsync(started.AttemptId, CancellationToken.None);
        Assert.AreEqual(TaskState.Canceled, tasks.Single(t => t.TaskName == "+k+long").State);
        Assert.IsFalse(project.Exists("never.txt"));
        Assert.IsFalse(await project.Engine.KillAsync(started.AttemptId, CancellationToken.None), "a finished attempt cannot be killed again");
    }

    [TestMethod]
    public async Task The_kill_cancels_a_running_command_through_its_executor_with_the_state_its_launch_returned()
    {
        var executor = new GatedExecutor();
        executor.Gate.SetResult();
        await using var project = await WorkflowProject.StartAsync(extraExecutors: [_ => executor]);
        project.Write("k.dig", GatedWorkflow);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var started = await project.StartAsync("k", cancellationToken: guard.Token);
        await project.WaitForTaskAsync(started.AttemptId, "+k+gated", TaskState.Running);
        var launched = await executor.Launched.Task.WaitAsync(guard.Token);

        // The launch has recorded the command's state (else the launch itself would stop it, after the kill returned).
        while ((await project.Engine!.Runs.GetStartedTriesAsync(started.AttemptId, guard.Token)).SingleOrDefault(t => t.TaskName == "+k+gated")?.Command is null)
        {
            await Task.Delay(20, guard.Token);
        }

        Assert.IsTrue(await project.Engine.KillAsync(started.AttemptId, guard.Token));

        // Cancelled, then cleaned up, by the executor that runs it, with the state its launch returned, before the kill returns.
        CollectionAssert.AreEqual(new[] { "cancel " + launched, "cleanup " + launched }, executor.Calls.ToArray());
        var tasks = await project.Engine.Runs.GetTasksAsync(started.AttemptId, guard.Token);
        Assert.AreEqual(TaskState.Canceled, tasks.Single(t => t.TaskName == "+k+gated").State);
        Assert.AreEqual(AttemptStatus.Killed, (await project.Engine.Runs.GetAttemptAsync(started.AttemptId, guard.Token))!.Status);
    }

    [TestMethod]
    public async Task A_launch_under_way_when_the_attempt_is_killed_stops_what_it_started_and_leaves_no_running_record()
    {
        var executor = new GatedExecutor();
        await using var project = await WorkflowProject.StartAsync(extraExecutors: [_ => executor]);
        project.Write("k.dig", GatedWorkflow);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var started = await project.StartAsync("k", cancellationToken: guard.Token);

        // The launch activity is inside the executor's launch when the kill runs, and returns after it.
        await executor.Entered.Task.WaitAsync(guard.Token);
        Assert.IsTrue(await project.Engine!.KillAsync(started.AttemptId, guard.Token));
        Assert.IsEmpty(executor.Calls, "the kill ran before the command's state was known");
        executor.Gate.SetResult();

        var launched = await executor.Launched.Task.WaitAsync(guard.Token);
        await executor.CleanedUp.Task.WaitAsync(guard.Token);
        CollectionAssert.AreEqual(new[] { "cancel " + launched, "cleanup " + launched }, executor.Calls.ToArray(), "the launch stopped its own command");

        // The launch activity records the task canceled before it completes; a Running record left
        // behind would never change again (the orchestration is terminated), so the wait is bounded.
        await project.WaitForTaskAsync(started.AttemptId, "+k+gated", TaskState.Canceled);
        Assert.AreEqual(AttemptStatus.Killed, (await project.Engine.Runs.GetAttemptAsync(started.AttemptId, guard.Token))!.Status);
    }

    [TestMethod]
    public async Task Killing_an_attempt_runs_the_cleanup_of_its_running_http_task_which_abandons_the_request()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestHttpServer.StartAsync(async (context, _) =>
        {
            arrived.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                abandoned.TrySetResult();
            }
        });
        await using var project = await WorkflowProject.StartAsync();
        project.Write("k.dig", $"""
            +call:
              http>: {server.BaseUri}slow
              timeout: 10m
            +never:
              sh>: touch never.txt
            """);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var started = await project.StartAsync("k", cancellationToken: guard.Token);
        await arrived.Task.WaitAsync(guard.Token);
        Assert.IsTrue(await project.Engine!.KillAsync(started.AttemptId, guard.Token));

        // Without the cleanup the request would wait out its 10 minute timeout.
        await abandoned.Task.WaitAsync(guard.Token);
        var tasks = await project.Engine.Runs.GetTasksAsync(started.AttemptId, guard.Token);
        Assert.AreEqual(TaskState.Canceled, tasks.Single(t => t.TaskName == "+k+call").State);
        Assert.IsFalse(project.Exists("never.txt"));
    }

    private const string GatedWorkflow = """
        +gated:
          sh>: echo the gated executor runs nothing
          container:
            executor: gated
        +never:
          sh>: touch never.txt
        """;

    /// <summary>
    /// An executor whose launch waits on a gate the test opens, and which records every cancel and
    /// cleanup it is asked for. Its commands "run" until cancelled (a poll says running, later).
    /// </summary>
    private sealed class GatedExecutor : ICommandExecutor
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The id of the launched command (its state's data).</summary>
        public TaskCompletionSource<string> Launched { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource CleanedUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Calls { get; } = new();

        public string Name => "gated";

        public async Task<CommandStatus> LaunchAsync(CommandRequest request, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Gate.Task.WaitAsync(cancellationToken);
            var id = $"{request.TaskName}#{request.Try}";
            Launched.TrySetResult(id);
            return Running(id);
        }

        public Task<CommandStatus> PollAsync(CommandState state, CancellationToken cancellationToken) =>
            Task.FromResult(Running(state.Data.GetString()!));

        public Task<CommandState> CollectLogsAsync(CommandState state, CancellationToken cancellationToken) => Task.FromResult(state);

        public Task CancelAsync(CommandState state, CancellationToken cancellationToken)
        {
            Calls.Enqueue("cancel " + state.Data.GetString());
            return Task.CompletedTask;
        }

        public Task CleanupAsync(CommandState state, CancellationToken cancellationToken)
        {
            Calls.Enqueue("cleanup " + state.Data.GetString());
            CleanedUp.TrySetResult();
            return Task.CompletedTask;
        }

        // Polled again only after a long durable timer: a test never sees a second poll.
        private CommandStatus Running(string id) =>
            new() { Phase = CommandPhase.Running, State = new CommandState(Name, JsonSerializer.SerializeToElement(id)), PollAfter = TimeSpan.FromMinutes(10) };
    }
}
