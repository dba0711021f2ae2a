using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Execution;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Orchestration;

[TestClass]
public sealed class ActivityTests
{
    [TestMethod]
    public async Task A_chain_of_activities_returns_the_orchestrators_output()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<string, string>("Greet", name => $"Hello, {name}!")
            .AddOrchestrator<string[], string[]>("Greetings", async (context, names) =>
            {
                var results = new List<string>();
                foreach (var name in names)
                {
                    results.Add(await context.CallActivityAsync<string>("Greet", name));
                }

                return [.. results];
            });
        await using var runtime = await TestRuntime.StartAsync(registry);

        var done = await runtime.RunAsync("Greetings", new[] { "Tokyo", "Seattle" });

        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        CollectionAssert.AreEqual(new[] { "Hello, Tokyo!", "Hello, Seattle!" }, done.ReadOutputAs<string[]>());
    }

    [TestMethod]
    public async Task An_activity_failure_reaches_the_orchestrator_with_type_message_and_stack()
    {
        TaskFailureDetails? seen = null;
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Explode", _ => throw new InvalidOperationException("boom"))
            .AddOrchestrator<string>("Catcher", async context =>
            {
                try
                {
                    await context.CallActivityAsync<int>("Explode", 1);
                    return "not thrown";
                }
                catch (TaskFailedException e)
                {
                    seen = e.FailureDetails;
                    return e.TaskName;
                }
            });
        await using var runtime = await TestRuntime.StartAsync(registry);

        var done = await runtime.RunAsync("Catcher");

        Assert.AreEqual("Explode", done.ReadOutputAs<string>());
        Assert.IsNotNull(seen);
        Assert.AreEqual(typeof(InvalidOperationException).FullName, seen.ErrorType);
        Assert.AreEqual("boom", seen.ErrorMessage);
        Assert.Contains("ActivityTests", seen.StackTrace ?? "");
    }

    [TestMethod]
    public async Task An_uncaught_activity_failure_fails_the_orchestration_with_the_cause()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Explode", _ => throw new ArgumentException("bad argument"))
            .AddOrchestrator<int>("Uncaught", context => context.CallActivityAsync<int>("Explode", 1));
        await using var runtime = await TestRuntime.StartAsync(registry);

        var done = await runtime.RunAsync("Uncaught");

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.AreEqual(typeof(TaskFailedException).FullName, done.FailureDetails!.ErrorType);
        Assert.IsTrue(done.FailureDetails.IsCausedBy<ArgumentException>());
        Assert.AreEqual("bad argument", done.FailureDetails.InnerFailure!.ErrorMessage);
    }

    [TestMethod]
    public async Task A_retry_policy_retries_a_flaky_activity_until_it_succeeds()
    {
        var attempts = 0;
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("Flaky", x => Interlocked.Increment(ref attempts) < 3 ? throw new TimeoutException("flaky") : x * 2)
            .AddOrchestrator<int>("Retrying", context => context.CallActivityAsync<int>(
                "Flaky", 21, new TaskOptions(new RetryPolicy(5, TimeSpan.FromMilliseconds(10), backoffCoefficient: 2))));
        await using var runtime = await TestRuntime.StartAsync(registry);

        var done = await runtime.RunAsync("Retrying");

        Assert.AreEqual(42, done.ReadOutputAs<int>());
        Assert.AreEqual(3, attempts);
        var history = await runtime.Client.GetHistoryAsync(done.InstanceId);
        Assert.AreEqual(2, history.Count(e => e.EventType == HistoryEventType.TimerCreated), "each retry waits on a durable timer");
    }

    [TestMethod]
    public async Task A_retry_policy_gives_up_after_max_attempts_and_when_the_predicate_says_so()
    {
        var attempts = 0;
        var fatalAttempts = 0;
        var registry = new OrchestrationRegistry()
            .AddActivity<int, int>("AlwaysFails", _ => throw new TimeoutException($"attempt {Interlocked.Increment(ref attempts)}"))
            .AddActivity<int, int>("Fatal", _ => throw new UnauthorizedAccessException($"attempt {Interlocked.Increment(ref fatalAttempts)}"))
            .AddOrchestrator<string>("GivesUp", async context =>
            {
                var policy = new RetryPolicy(3, TimeSpan.FromMilliseconds(5))
                {
                    HandleFailure = failure => !failure.IsCausedBy<UnauthorizedAccessException>(),
                };
                var messages = new List<string>();
                foreach (var name in new[] { "AlwaysFails", "Fatal" })
                {
                    try
                    {
                        await context.CallActivityAsync<int>(name, 0, new TaskOptions(policy));
                    }
                    catch (TaskFailedException e)
                    {
                        messages.Add(e.FailureDetails.ErrorMessage);
                    }
                }

                return string.Join(",", messages);
            });
        await using var runtime = await TestRuntime.StartAsync(registry);

        var done = await runtime.RunAsync("GivesUp");

        Assert.AreEqual("attempt 3,attempt 1", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task An_unregistered_activity_fails_the_call_with_a_clear_error()
    {
        var registry = new OrchestrationRegistry()
            .AddOrchestrator<string>("CallsMissing", async context =>
            {
                try
                {
                    await context.CallActivityAsync<int>("NoSuchActivity");
                    return "";
                }
                catch (TaskFailedException e)
                {
                    return e.FailureDetails.ErrorType + ": " + e.FailureDetails.ErrorMessage;
                }
            });
        await using var runtime = await TestRuntime.StartAsync(registry);

        var done = await runtime.RunAsync("CallsMissing");

        Assert.AreEqual($"{typeof(TaskNotRegisteredException).FullName}: No activity named 'NoSuchActivity' is registered in this runtime.", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task An_unregistered_orchestrator_fails_the_instance_with_a_clear_error()
    {
        await using var runtime = await TestRuntime.StartAsync(new OrchestrationRegistry());

        var done = await runtime.RunAsync("NoSuchOrchestrator");

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.AreEqual("No orchestrator named 'NoSuchOrchestrator' is registered in this runtime.", done.FailureDetails!.ErrorMessage);
    }

    [TestMethod]
    public async Task An_activity_result_that_cannot_be_serialized_fails_that_call()
    {
        var registry = new OrchestrationRegistry()
            .AddActivity<int, object>("ReturnsPointer", _ => new Unserializable())
            .AddOrchestrator<object>("Caller", context => context.CallActivityAsync<object>("ReturnsPointer"));
        await using var runtime = await TestRuntime.StartAsync(registry);

        var done = await runtime.RunAsync("Caller");

        Assert.AreEqual(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.IsTrue(done.FailureDetails!.IsCausedBy<DataConversionException>(), done.FailureDetails.ToString());
    }

    private sealed class Unserializable
    {
        public Unserializable Self => this;
    }
}
