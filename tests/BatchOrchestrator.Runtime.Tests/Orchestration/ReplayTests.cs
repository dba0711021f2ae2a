using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Execution;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Orchestration;

[TestClass]
public sealed class ReplayTests
{
    [TestMethod]
    public async Task Changed_orchestrator_code_fails_the_instance_with_a_non_determinism_error_naming_the_event()
    {
        var before = new OrchestrationRegistry()
            .AddActivity<int, int>("Extract", x => x)
            .AddActivity<int, int>("Load", x => x)
            .AddOrchestrator<int>("Etl", async context =>
            {
                await context.CallActivityAsync<int>("Extract", 1);
                return await context.WaitForExternalEvent<int>("Continue");
            });
        var after = new OrchestrationRegistry()
            .AddActivity<int, int>("Extract", x => x)
            .AddActivity<int, int>("Load", x => x)
            .AddOrchestrator<int>("Etl", async context =>
            {
                await context.CallActivityAsync<int>("Load", 1); // was "Extract" when the instance started
                return await context.WaitForExternalEvent<int>("Continue");
            });
        await using var runtime = await TestRuntime.StartAsync(before);
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Etl");
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted);

        await runtime.RestartAsync(after);
        await runtime.Client.RaiseEventAsync(id, "Continue", 2);

        var done = await runtime.WaitAsync(id);
        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.AreEqual(typeof(NonDeterministicOrchestrationException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains("history has TaskScheduled #0 (activity 'Extract')", done.FailureDetails.ErrorMessage);
        Assert.Contains("scheduled activity 'Load' (#0)", done.FailureDetails.ErrorMessage);
    }

    [TestMethod]
    public async Task Time_and_guids_are_the_same_on_every_replay()
    {
        var seen = new ConcurrentBag<(Guid, DateTime)>();
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Noop", x => x)
            .AddOrchestrator<string>("Stamps", async context =>
            {
                var first = (context.NewGuid(), context.CurrentUtcDateTime);
                seen.Add(first);
                for (var i = 0; i < 5; i++)
                {
                    await context.CallActivityAsync<int>("Noop", i);
                }

                return $"{first.Item1}|{context.NewGuid()}";
            });
        // No cache: every turn replays the whole history from the database.
        await using var runtime = await TestRuntime.StartAsync(registry, o => o with { MaxCachedSessions = 0 });

        var done = await runtime.RunAsync("Stamps");

        Assert.AreEqual(6, seen.Count, "the orchestrator started once and was replayed at each of 5 completions");
        Assert.AreEqual(1, seen.Distinct().Count());
        var parts = done.ReadOutputAs<string>()!.Split('|');
        Assert.AreEqual(seen.First().Item1.ToString(), parts[0]);
        Assert.AreNotEqual(parts[0], parts[1]);
        Assert.AreEqual(5, runtime.Runtime!.Statistics.Replays, "one replay per activity completion");
    }

    [TestMethod]
    public async Task IsReplaying_is_true_only_while_history_is_re_executed()
    {
        var logged = new ConcurrentQueue<string>();
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Noop", x => x)
            .AddOrchestrator<int>("Logs", async context =>
            {
                for (var i = 0; i < 3; i++)
                {
                    logged.Enqueue($"step {i} replaying={context.IsReplaying}");
                    await context.CallActivityAsync<int>("Noop", i);
                }

                return 0;
            });
        await using var runtime = await TestRuntime.StartAsync(registry, o => o with { MaxCachedSessions = 0 });

        await runtime.RunAsync("Logs");

        var live = logged.Where(l => l.EndsWith("replaying=False", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEqual(new[] { "step 0 replaying=False", "step 1 replaying=False", "step 2 replaying=False" }, live);
        Assert.IsGreaterThan(3, logged.Count, "replays happened, flagged as such");
    }
}
