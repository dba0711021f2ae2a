using System.Diagnostics;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;

namespace BatchOrchestrator.Runtime.Tests.Orchestration;

/// <summary>
/// A turn whose code computes for long (a template evaluating) is given up when its instance is
/// terminated or the runtime stops: the code sees <see cref="IOrchestrationContext.Interrupted"/>
/// cancelled, and nothing of the turn is kept.
/// </summary>
[TestClass]
public sealed class InterruptedTurnTests
{
    [TestMethod]
    public async Task Terminating_an_instance_interrupts_the_turn_its_code_is_running()
    {
        var spinner = new Spinner();
        await using var runtime = await TestRuntime.StartAsync(spinner.Registry());
        await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Spin", null, new StartOrchestrationOptions("busy"));
        await spinner.EnteredAsync();

        await runtime.Client.TerminateInstanceAsync("busy", new TerminateInstanceOptions("killed"));

        var done = await runtime.WaitAsync("busy");
        Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.AreEqual(1, spinner.Interrupted, "the running code saw the termination");
        Assert.AreEqual(0, spinner.RanOut, "the code did not run until its own end");
    }

    [TestMethod]
    public async Task Terminating_a_parent_interrupts_the_turn_its_child_is_running()
    {
        var spinner = new Spinner();
        await using var runtime = await TestRuntime.StartAsync(spinner.Registry());
        await runtime.Client.ScheduleNewOrchestrationInstanceAsync("ParentOfSpin", null, new StartOrchestrationOptions("parent"));
        await spinner.EnteredAsync();

        await runtime.Client.TerminateInstanceAsync("parent", new TerminateInstanceOptions("killed", Recursive: true));

        Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, (await runtime.WaitAsync("parent-child")).RuntimeStatus);
        Assert.AreEqual(1, spinner.Interrupted);
        Assert.AreEqual(0, spinner.RanOut);
    }

    [TestMethod]
    public async Task A_stopping_runtime_gives_up_a_running_turn_and_the_next_runtime_runs_it_again()
    {
        var spinner = new Spinner();
        await using var runtime = await TestRuntime.StartAsync(spinner.Registry());
        await runtime.Client.ScheduleNewOrchestrationInstanceAsync("Spin", null, new StartOrchestrationOptions("busy"));
        await spinner.EnteredAsync();

        await runtime.StopAsync();
        Assert.AreEqual(1, spinner.Interrupted, "stopping did not wait for the code to end");

        await runtime.RestartAsync(spinner.Registry());
        await spinner.EnteredAsync();
        await runtime.Client.TerminateInstanceAsync("busy", new TerminateInstanceOptions("killed"));
        Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, (await runtime.WaitAsync("busy")).RuntimeStatus);
        Assert.AreEqual(2, spinner.Interrupted);
        Assert.AreEqual(0, spinner.RanOut);
    }

    /// <summary>Orchestrator code that computes until it is interrupted (or, failing that, for the tests' guard time).</summary>
    private sealed class Spinner
    {
        private readonly SemaphoreSlim _entered = new(0);
        private int _interrupted;
        private int _ranOut;

        public int Interrupted => Volatile.Read(ref _interrupted);

        public int RanOut => Volatile.Read(ref _ranOut);

        public OrchestrationRegistry Registry() => new OrchestrationRegistry()
            .AddOrchestrator<string>("Spin", context => Task.FromResult(Spin(context)))
            .AddOrchestrator<string>("ParentOfSpin", context =>
                context.CallSubOrchestratorAsync<string>("Spin", null, new SubOrchestrationOptions($"{context.InstanceId}-child")));

        public async Task EnteredAsync()
        {
            Assert.IsTrue(await _entered.WaitAsync(Timeouts.Guard), "the orchestrator code to start");
        }

        private string Spin(IOrchestrationContext context)
        {
            _entered.Release();
            var elapsed = Stopwatch.StartNew();

            // Polls, as a template evaluation does between statements; the pause keeps the 2 cores free.
            while (!context.Interrupted.IsCancellationRequested && elapsed.Elapsed < Timeouts.Guard)
            {
                Thread.Sleep(5);
            }

            Interlocked.Increment(ref context.Interrupted.IsCancellationRequested ? ref _interrupted : ref _ranOut);
            return "finished";
        }
    }
}
