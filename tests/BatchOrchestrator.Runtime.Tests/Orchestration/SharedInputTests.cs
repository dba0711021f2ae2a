using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Orchestration;

/// <summary>
/// An activity input marked <see cref="ISharedActivityInput"/> reaches an activity run in the
/// orchestrator's process as the object passed (no JSON read back); every other input, and a
/// shared one whose call is run from the database after a restart, arrives as a copy read from
/// the recorded form, equal to what was passed.
/// </summary>
[TestClass]
public sealed class SharedInputTests
{
    private sealed class Seen
    {
        public object? Passed;
        public object? Received;
    }

    private static OrchestrationRegistry Registry<TNote>(Seen seen, Func<TNote> make, Func<TNote, CancellationToken, Task<string>> activity)
        where TNote : notnull =>
        new OrchestrationRegistry()
            .AddActivity<TNote, string>("Take", (_, note, cancellation) =>
            {
                seen.Received = note;
                return activity(note, cancellation);
            })
            .AddOrchestrator<string>("Pass", async context =>
            {
                var note = make();
                if (!context.IsReplaying)
                {
                    seen.Passed = note;
                }

                return await context.CallActivityAsync<string>("Take", note);
            });

    [TestMethod]
    public async Task A_shared_input_reaches_the_activity_as_the_object_the_orchestrator_passed()
    {
        var seen = new Seen();
        await using var runtime = await TestRuntime.StartAsync(Registry(seen, () => new SharedNote("records", [1, 2]), (note, _) => Task.FromResult(note.Text)));

        var done = await runtime.RunAsync("Pass");

        Assert.AreEqual("records", done.ReadOutputAs<string>());
        Assert.IsNotNull(seen.Passed);
        Assert.AreSame(seen.Passed, seen.Received, "no copy read back from JSON");
    }

    [TestMethod]
    public async Task A_commands_launch_input_reaches_the_launch_activity_as_the_object_the_orchestrator_passed()
    {
        var seen = new Seen();
        await using var runtime = await TestRuntime.StartAsync(Registry(seen, Launch, (input, _) => Task.FromResult(input.Command.Environment["GREETING"])));

        var done = await runtime.RunAsync("Pass");

        Assert.AreEqual("hello", done.ReadOutputAs<string>());
        Assert.IsNotNull(seen.Passed);
        Assert.AreSame(seen.Passed, seen.Received, "a sh> task's launch input is not read back from JSON");
    }

    /// <summary>A <c>sh&gt;</c> task's launch input as the orchestrator builds it: the command, its own variables, the attempt's shared ones in full.</summary>
    private static LaunchCommandInput Launch() =>
        new("local", new CommandRequest
        {
            AttemptId = "attempt-1",
            TaskName = "+wf+t",
            Command = ["/bin/sh", "-c", "echo $GREETING"],
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello", ["task_name"] = "+wf+t" },
            WorkingDirectory = "/project",
            Bundled = ["runner.sh"],
            Log = new TaskLogKey("p", "wf", "2026-12-07T00:00:00Z", "attempt-1", "+wf+t", 0),
        })
        {
            Launch = "attempt-1#1",
            Shared = new SharedEnvironment("key", new Dictionary<string, string> { ["session_time"] = "2026-12-07T00:00:00+00:00" }),
        };

    [TestMethod]
    public async Task Any_other_input_reaches_the_activity_as_an_equal_copy()
    {
        var seen = new Seen();
        await using var runtime = await TestRuntime.StartAsync(Registry(seen, () => new PlainNote("plain"), (note, _) => Task.FromResult(note.Text)));

        var done = await runtime.RunAsync("Pass");

        Assert.AreEqual("plain", done.ReadOutputAs<string>());
        Assert.AreEqual(seen.Passed, seen.Received);
        Assert.AreNotSame(seen.Passed, seen.Received);
    }

    [TestMethod]
    public async Task A_shared_input_whose_call_runs_after_a_restart_is_read_from_the_records()
    {
        var first = new Seen();
        var started = new TaskCompletionSource();
        var blocked = Registry(first, () => new SharedNote("kept", [3]), async (note, cancellation) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellation);
            return note.Text;
        });
        await using var runtime = await TestRuntime.StartAsync(blocked);
        var id = await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Pass");
        await started.Task.WaitAsync(Timeouts.Guard);

        var second = new Seen();
        await runtime.RestartAsync(Registry(second, () => new SharedNote("kept", [3]), (note, _) => Task.FromResult($"{note.Text} {string.Join(',', note.Numbers)}")));

        Assert.AreEqual("kept 3", (await runtime.WaitAsync(id)).ReadOutputAs<string>());
        Assert.IsNull(second.Passed, "the orchestrator only replayed its call");
        Assert.IsInstanceOfType<SharedNote>(second.Received);
        Assert.AreNotSame(first.Passed, second.Received);
    }
}
