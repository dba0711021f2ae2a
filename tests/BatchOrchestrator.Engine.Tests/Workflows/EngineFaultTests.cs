using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// A fault of the engine itself — here an executor plugged in through the executor SPI that
/// answers with a poll interval no timer can hold, which the orchestrator rejects — ends the
/// attempt as failed with the error, whether it happens in the attempt's own orchestration or in
/// a chunk two levels down.
/// </summary>
[TestClass]
public sealed class EngineFaultTests
{
    [TestMethod]
    public async Task A_chunk_orchestration_that_throws_ends_the_attempt_as_failed_with_its_error_once_the_other_chunks_ended()
    {
        // Six children, at most two per orchestration: two chunks of three, each split again into two and one.
        await using var project = await StartAsync(new WorkflowEngineOptions { MaxChildrenPerOrchestration = 2 });
        project.Write("broken.dig", """
            +fan:
              for_range>:
                from: 0
                to: 6
                step: 1
              _parallel: true
              _do:
                _export:
                  container:
                    executor: "${range.index == 3 ? 'unbounded' : 'local'}"
                sh>: echo ${range.index} > "done-${range.index}.txt"
            +never:
              sh>: touch never.txt
            """);

        var run = await project.RunAsync("broken");

        await AssertEndedAsFailedAsync(project, run, "+broken");
        Assert.IsFalse(project.Exists("never.txt"), "nothing runs after the fault");
        var instances = await project.Engine!.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 100 }).ToListAsync();
        Assert.IsTrue(instances.Any(i => i.RuntimeStatus == OrchestrationRuntimeStatus.Failed), "the chunk that ran the task failed");
        foreach (var instance in instances)
        {
            Assert.IsFalse(instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending, $"{instance.InstanceId} outlived its attempt");
        }

        // The task the fault came from shows it; the tasks beside it ran to their end before the attempt ended.
        Assert.AreEqual(TaskState.Error, run.Task("+broken+fan^sub+range-from=3&to=4").State);
        Assert.AreEqual(run.Outcome.Errors.Single().Message, run.Task("+broken+fan^sub+range-from=3&to=4").Error);
        foreach (var index in new[] { 0, 1, 2, 4, 5 })
        {
            Assert.AreEqual(TaskState.Success, run.Task($"+broken+fan^sub+range-from={index}&to={index + 1}").State, run.Describe());
            Assert.IsTrue(project.Exists($"done-{index}.txt"));
        }
    }

    [TestMethod]
    public async Task A_fault_in_the_attempts_own_orchestration_ends_the_attempt_as_failed_with_its_error()
    {
        await using var project = await StartAsync(new WorkflowEngineOptions());
        project.Write("plain.dig", """
            +first:
              sh>: echo first
            +bad:
              _export:
                container:
                  executor: unbounded
              sh>: echo bad
            +never:
              sh>: touch never.txt
            """);

        var run = await project.RunAsync("plain");

        await AssertEndedAsFailedAsync(project, run, "+plain");
        Assert.AreEqual(TaskState.Success, run.Task("+plain+first").State);
        Assert.AreEqual(TaskState.Error, run.Task("+plain+bad").State, "the task the fault came from shows it");
        Assert.AreEqual(run.Outcome.Errors.Single().Message, run.Task("+plain+bad").Error);
        Assert.IsFalse(project.Exists("never.txt"));
    }

    private static Task<WorkflowProject> StartAsync(WorkflowEngineOptions options) =>
        WorkflowProject.StartAsync(options, [_ => new UnboundedPollExecutor()]);

    private static async Task AssertEndedAsFailedAsync(WorkflowProject project, RunResult run, string root)
    {
        // What `bo run` reports: the error itself, not a generic failure of the orchestration.
        Assert.IsFalse(run.Succeeded);
        var error = run.Outcome.Errors.Single();
        Assert.AreEqual(root, error.TaskName);
        Assert.Contains("the workflow engine failed: System.ArgumentOutOfRangeException", error.Message);

        // What `bo attempts`, `bo tasks` and the API show.
        var attempt = await project.Engine!.Runs.GetAttemptAsync(run.AttemptId, CancellationToken.None);
        Assert.AreEqual(AttemptStatus.Error, attempt!.Status);
        Assert.IsNotNull(attempt.FinishedAt);
        Assert.AreEqual(TaskState.GroupError, run.Task(root).State);
        Assert.AreEqual(error.Message, run.Task(root).Error);
        Assert.IsEmpty(run.Tasks.Where(t => TaskStateProgress.Of(t.State) < TaskStateProgress.Of(TaskState.Success)).ToList(), run.Describe());

        // The end is recorded once: the orchestrator does not call it again on any path.
        var history = await project.Engine.Client.GetHistoryAsync(run.AttemptId);
        Assert.AreEqual(1, history.Count(e => e.EventType == HistoryEventType.TaskScheduled && e.Name == ActivityNames.FinishAttempt));
    }

    /// <summary>An executor that says "running, look again in ten million days": more than any date can hold.</summary>
    private sealed class UnboundedPollExecutor : ICommandExecutor
    {
        public string Name => "unbounded";

        public Task<CommandStatus> LaunchAsync(CommandRequest request, CancellationToken cancellationToken) => Task.FromResult(Running);

        public Task<CommandStatus> PollAsync(CommandState state, CancellationToken cancellationToken) => Task.FromResult(Running);

        public Task<CommandState> CollectLogsAsync(CommandState state, CancellationToken cancellationToken) => Task.FromResult(state);

        public Task CancelAsync(CommandState state, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CleanupAsync(CommandState state, CancellationToken cancellationToken) => Task.CompletedTask;

        private static CommandStatus Running { get; } = new()
        {
            Phase = CommandPhase.Running,
            State = new CommandState("unbounded", JsonSerializer.SerializeToElement(new { })),
            PollAfter = TimeSpan.MaxValue,
        };
    }
}
