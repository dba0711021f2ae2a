using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Orchestration;

/// <summary>
/// An activity result marked <see cref="ISharedActivityResult"/> reaches the orchestrator's turn in
/// the activity's process as the object the activity returned (no JSON read back); every other
/// result, and a shared one read when the orchestration is replayed from the database, arrives as a
/// copy read from the recorded form, equal to what was returned.
/// </summary>
[TestClass]
public sealed class SharedResultTests
{
    private sealed class Seen
    {
        public object? Returned;
        public List<object?> Received { get; } = [];
    }

    private static OrchestrationRegistry Registry<TNote>(Seen seen, Func<TNote> make, bool waitAfter = false)
        where TNote : notnull =>
        new OrchestrationRegistry()
            .AddActivity<string, TNote>("Give", (_, _, _) =>
            {
                var note = make();
                seen.Returned = note;
                return Task.FromResult(note);
            })
            .AddOrchestrator<string>("Take", async context =>
            {
                var note = await context.CallActivityAsync<TNote>("Give", "note");
                seen.Received.Add(note);
                if (waitAfter)
                {
                    await context.WaitForExternalEvent<string>("Go");
                }

                return note.ToString()!;
            });

    [TestMethod]
    public async Task A_shared_result_reaches_the_orchestrator_as_the_object_the_activity_returned()
    {
        var seen = new Seen();
        await using var runtime = await TestRuntime.StartAsync(Registry(seen, () => new SharedNote("status", [1, 2])));

        var done = await runtime.RunAsync("Take");

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.HasCount(1, seen.Received);
        Assert.AreSame(seen.Returned, seen.Received[0], "no copy read back from JSON");
    }

    [TestMethod]
    public async Task A_commands_status_reaches_the_orchestrator_as_the_object_the_activity_returned()
    {
        var seen = new Seen();
        var status = () => new CommandStatus { Phase = CommandPhase.Succeeded, State = new CommandState("local", BatchOrchestrator.Language.Parameters.JsonValues.Null), ExitCode = 0, OutputText = "out", Collected = true };
        await using var runtime = await TestRuntime.StartAsync(Registry(seen, status));

        await runtime.RunAsync("Take");

        Assert.AreSame(seen.Returned, seen.Received.Single(), "a sh> task's status is not read back from JSON");
    }

    [TestMethod]
    public async Task Any_other_result_reaches_the_orchestrator_as_an_equal_copy()
    {
        var seen = new Seen();
        await using var runtime = await TestRuntime.StartAsync(Registry(seen, () => new PlainNote("plain")));

        await runtime.RunAsync("Take");

        Assert.AreEqual(seen.Returned, seen.Received.Single());
        Assert.AreNotSame(seen.Returned, seen.Received.Single());
    }

    [TestMethod]
    public async Task A_shared_result_read_on_a_replay_after_a_restart_is_read_from_the_records()
    {
        var first = new Seen();
        await using var runtime = await TestRuntime.StartAsync(Registry(first, () => new SharedNote("kept", [3]), waitAfter: true));
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Take");
        await runtime.WaitForHistoryAsync(id, HistoryEventType.TaskCompleted);

        var second = new Seen();
        await runtime.RestartAsync(Registry(second, () => new SharedNote("other", [4]), waitAfter: true));
        await runtime.Client.RaiseEventAsync(id, "Go", "now");
        await runtime.WaitAsync(id);

        Assert.IsNull(second.Returned, "the activity did not run again");
        var replayed = second.Received.OfType<SharedNote>().Single();
        Assert.AreNotSame(first.Returned, replayed);
        Assert.AreEqual("kept", replayed.Text);
        CollectionAssert.AreEqual(new[] { 3 }, replayed.Numbers);
    }
}
