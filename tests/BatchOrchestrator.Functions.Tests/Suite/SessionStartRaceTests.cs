using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Functions.Adapters;
using BatchOrchestrator.Functions.Tests.Harness;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>
/// Two starts of one session that both found no instance — two app instances ticking the same
/// schedule at once, two requests for one session — on the app's Durable client adapter and the
/// real task hub: only one creates the attempt's orchestration, the other is told it exists.
/// The loser's check is made to come first (<see cref="CheckedTooEarly"/>: its lookups answer
/// "none" until it schedules), so the interleaving the schedule test meets by chance is met
/// every time.
/// </summary>
[TestClass]
public sealed class SessionStartRaceTests
{
    [TestMethod]
    public async Task A_start_that_checked_before_the_other_created_the_attempt_is_refused_and_the_attempt_runs_once()
    {
        var root = Directory.CreateTempSubdirectory("bo-race-").FullName;
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var cancellation = guard.Token;
        try
        {
            await using var runtime = await DurableTaskRuntime.StartAsync(root, new RuntimeSettings(), cancellation);
            var project = await runtime.ShippedProjectAsync(cancellation);
            var request = new AttemptRequest
            {
                ProjectDirectory = project.Directory,
                ProjectName = project.Name,
                Revision = project.Revision,
                WorkflowName = "ad_report",
                SessionTime = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.FromHours(9)),
                SessionParams = JsonSerializer.SerializeToElement(new { }),
            };
            var late = new CheckedTooEarly(runtime.Client);
            var loser = Launcher(runtime, late);

            var first = await runtime.Launcher.StartAsync(request, cancellation);
            late.AnswerNoneUntilScheduled = true;
            var second = await loser.StartAsync(request, cancellation);

            Assert.IsTrue(first.IsNew);
            Assert.AreEqual(first.AttemptId, second.AttemptId);
            Assert.IsFalse(second.IsNew, "the task hub refused the second creation");
            Assert.AreEqual(1, late.Schedules, "the loser did try to create it");

            var outcome = await runtime.Launcher.WaitAsync(first.AttemptId, cancellation);
            Assert.IsTrue(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => $"{e.TaskName}: {e.Message}")));
            var finished = await runtime.Client.GetInstanceAsync(first.AttemptId, getInputsAndOutputs: false, cancellation);

            // Once it has finished, too: Azure Storage would replace a finished instance with a new run.
            late.AnswerNoneUntilScheduled = true;
            var third = await loser.StartAsync(request, cancellation);

            Assert.IsFalse(third.IsNew);
            Assert.AreEqual(2, late.Schedules);
            var after = await runtime.Client.GetInstanceAsync(first.AttemptId, getInputsAndOutputs: false, cancellation);
            Assert.AreEqual(OrchestrationRuntimeStatus.Completed, after?.RuntimeStatus);
            Assert.AreEqual(finished?.CreatedAt, after?.CreatedAt, "the same execution, not a new one");
            Assert.AreEqual(AttemptStatus.Success, (await runtime.Launcher.Runs.GetAttemptAsync(first.AttemptId, cancellation))?.Status, "the loser's record write leaves the finished attempt as it was");
            Assert.HasCount(1, await runtime.Launcher.Runs.GetAttemptsAsync(SessionRecord.IdOf(new SessionKey(project.Name, "ad_report", request.SessionTime)), cancellation));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is not worth failing a test over.
            }
        }
    }

    /// <summary>A launcher over the app's stores and the app's Durable client adapter, on <paramref name="client"/>.</summary>
    private static AttemptLauncher Launcher(DurableTaskRuntime runtime, DurableTaskClient client)
    {
        var source = new DurableClientSource();
        source.Bind(client);
        return new AttemptLauncher(
            new DurableOrchestrationClient(source),
            runtime.App.GetRequiredService<IRunStore>(),
            runtime.App.GetRequiredService<IProjectRevisionStore>(),
            runtime.App.GetRequiredService<BatchOrchestrator.Engine.Workflows.Activities.WorkflowActivities>(),
            TimeProvider.System);
    }

    /// <summary>
    /// The task hub's client, as seen by a caller whose lookups were made before another caller
    /// created the instance: while <see cref="AnswerNoneUntilScheduled"/> is set, every lookup
    /// answers "no such instance"; scheduling goes to the task hub and clears it.
    /// </summary>
    private sealed class CheckedTooEarly(DurableTaskClient hub) : DurableTaskClient(hub.Name)
    {
        private int _schedules;

        public bool AnswerNoneUntilScheduled { get; set; }

        public int Schedules => Volatile.Read(ref _schedules);

        public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
        {
            AnswerNoneUntilScheduled = false;
            Interlocked.Increment(ref _schedules);
            return await hub.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);
        }

        public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            AnswerNoneUntilScheduled ? Task.FromResult<OrchestrationMetadata?>(null) : hub.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

        public override Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

        public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => hub.GetAllInstancesAsync(filter);

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
            hub.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            hub.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            hub.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
            hub.SuspendInstanceAsync(instanceId, reason, cancellation);

        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
            hub.ResumeInstanceAsync(instanceId, reason, cancellation);

        public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
            hub.TerminateInstanceAsync(instanceId, options, cancellation);

        // The hub's client belongs to the test host, which disposes it.
        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
