using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Orchestration;

[TestClass]
public sealed class SubOrchestrationTests
{
    private static OrchestrationRegistry Registry() => new OrchestrationRegistry()
        .AddActivity<int, int>("Square", x => x * x)
        .AddOrchestrator<int, int>("Child", (context, x) => context.CallActivityAsync<int>("Square", x))
        .AddOrchestrator<int, int>("FailingChild", (_, x) => throw new InvalidOperationException($"child {x} failed"))
        .AddOrchestrator<int, int>("Parent", async (context, n) =>
        {
            var children = Enumerable.Range(1, n).Select(i =>
                context.CallSubOrchestratorAsync<int>("Child", i, new SubOrchestrationOptions($"{context.InstanceId}-child-{i}")));
            return (await Task.WhenAll(children)).Sum();
        })
        .AddOrchestrator<string>("ParentOfFailing", async context =>
        {
            try
            {
                await context.CallSubOrchestratorAsync<int>("FailingChild", 7);
                return "no failure";
            }
            catch (TaskFailedException e)
            {
                return e.FailureDetails.ErrorMessage;
            }
        })
        .AddOrchestrator<string>("WaitsForever", context => context.WaitForExternalEvent<string>("never"))
        .AddOrchestrator<string>("ParentOfWaiting", context =>
            context.CallSubOrchestratorAsync<string>("WaitsForever", null, new SubOrchestrationOptions($"{context.InstanceId}-child")))
        .AddOrchestrator<string>("Reuser", async context =>
        {
            try
            {
                await context.CallSubOrchestratorAsync<int>("Child", 1, new SubOrchestrationOptions("taken"));
                return "reused";
            }
            catch (TaskFailedException e)
            {
                return e.FailureDetails.ErrorType;
            }
        });

    [TestMethod]
    public async Task Sub_orchestration_outputs_return_to_the_parent()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());

        var done = await runtime.RunAsync("Parent", 5, "family");

        Assert.AreEqual(1 + 4 + 9 + 16 + 25, done.ReadOutputAs<int>());
        var child = await runtime.Client.GetInstanceAsync("family-child-3");
        Assert.AreEqual(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
        Assert.AreEqual("family", child.ParentInstanceId);
    }

    [TestMethod]
    public async Task A_failing_sub_orchestration_surfaces_in_the_parent_as_TaskFailedException()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());

        var done = await runtime.RunAsync("ParentOfFailing");

        Assert.AreEqual("child 7 failed", done.ReadOutputAs<string>());
    }

    [TestMethod]
    public async Task A_sub_orchestration_id_that_exists_fails_the_call_instead_of_reusing_the_instance()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        await runtime.RunAsync("Child", 3, "taken");

        var done = await runtime.RunAsync("Reuser");

        Assert.AreEqual(typeof(OrchestrationAlreadyExistsException).FullName, done.ReadOutputAs<string>());
        Assert.AreEqual(9, (await runtime.WaitAsync("taken")).ReadOutputAs<int>(), "the existing instance is untouched");
    }

    [TestMethod]
    public async Task Terminating_a_parent_terminates_its_running_sub_orchestrations()
    {
        await using var runtime = await TestRuntime.StartAsync(Registry());
        await runtime.Client.ScheduleNewOrchestrationInstanceAsync("ParentOfWaiting", null, new StartOrchestrationOptions("stop-me"));
        await Eventually.TrueAsync(async () => (await runtime.Client.GetInstanceAsync("stop-me-child"))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "the child to run");

        await runtime.Client.TerminateInstanceAsync("stop-me", new TerminateInstanceOptions("enough"));

        var parent = await runtime.WaitAsync("stop-me");
        var child = await runtime.WaitAsync("stop-me-child");
        Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, parent.RuntimeStatus);
        Assert.AreEqual("enough", parent.ReadOutputAs<string>());
        Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, child.RuntimeStatus);
    }
}
