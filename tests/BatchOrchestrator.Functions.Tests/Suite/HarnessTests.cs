using System.Reflection;
using System.Text.Json;
using BatchOrchestrator.Engine.Hosting;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Functions.Composition;
using BatchOrchestrator.Functions.Functions;
using BatchOrchestrator.Functions.Tests.Harness;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>That the Durable side of the suite runs what the Functions app runs, the way it runs it.</summary>
[TestClass]
public sealed class HarnessTests
{
    [TestMethod]
    public void Every_orchestrator_and_activity_the_engine_names_is_a_function_of_the_app()
    {
        var functions = AppFunctions.Discover(typeof(WorkflowFunctions).Assembly).ToDictionary(f => f.Name, f => f.Kind);
        var names = typeof(ActivityNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.IsGreaterThanOrEqualTo(11, names.Count);
        foreach (var name in names)
        {
            var expected = name is ActivityNames.WorkflowOrchestrator or ActivityNames.ChunkOrchestrator ? AppFunctionKind.Orchestrator : AppFunctionKind.Activity;
            Assert.IsTrue(functions.TryGetValue(name, out var kind), $"the app has no function '{name}'");
            Assert.AreEqual(expected, kind, name);
        }

        CollectionAssert.AreEquivalent(names, functions.Keys.ToList(), "the app's Durable functions are the engine's orchestrators and activities");
    }

    /// <summary>
    /// The embedded runtime registers the engine's function table as data; the app declares one
    /// function per entry (the SDK reads attributes). Both must be the same set, with the same
    /// input and output types, or an activity would run on one runtime and not the other.
    /// </summary>
    [TestMethod]
    public async Task The_apps_functions_are_the_engines_function_table_with_its_types()
    {
        var root = Directory.CreateTempSubdirectory("bo-table-").FullName;
        try
        {
            var services = new ServiceCollection();
            await AzureComposition.AddPartsAsync(services, new Dictionary<string, string> { [AzureComposition.StateDirectorySetting] = root }, CancellationToken.None);
            await using var app = services.BuildServiceProvider();
            var table = app.GetRequiredService<EngineParts>().Functions;

            // An orchestrator function reads its input from its context, so only its output type shows in its signature.
            var expected = table.Orchestrators.Select(o => $"orchestrator {o.Name} -> {o.OutputType.Name}")
                .Concat(table.Activities.Select(a => $"activity {a.Name}({a.InputType.Name}) -> {a.OutputType.Name}"))
                .ToList();
            var actual = AppFunctions.Discover(typeof(WorkflowFunctions).Assembly)
                .Where(f => f.Kind is AppFunctionKind.Orchestrator or AppFunctionKind.Activity)
                .Select(f => f.Kind == AppFunctionKind.Orchestrator
                    ? $"orchestrator {f.Name} -> {f.OutputType?.Name}"
                    : $"activity {f.Name}({ActivityInput(f).Name}) -> {f.OutputType?.Name}")
                .ToList();

            Assert.HasCount(12, expected, "the table was read");
            CollectionAssert.AreEquivalent(expected, actual, $"app: {string.Join("; ", actual.Order())}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Type ActivityInput(AppFunction function) =>
        function.Method.GetParameters().Single(p => p.IsDefined(typeof(ActivityTriggerAttribute))).ParameterType;

    /// <summary>
    /// What the Durable side of the suite cannot check, pinned so that a test host which learns
    /// it shows up here: it returns no history, and terminates only the instance it is given.
    /// </summary>
    [TestMethod]
    public async Task The_test_host_returns_no_history()
    {
        await using var scenario = await Scenario.StartAsync("sequence", async (root, token) => await DurableTaskRuntime.StartAsync(root, new RuntimeSettings(), token));
        var run = await scenario.RunAsync("sequence");
        Assert.AreEqual(Engine.Stores.AttemptStatus.Success, run.Attempt.Status, run.Describe());

        var history = await scenario.Runtime.Launcher.Client.GetHistoryAsync(run.AttemptId, scenario.Cancellation);

        Assert.IsEmpty(history, "the test host returns history now: check it in the suite (IConformanceRuntime.ReturnsHistory)");
        Assert.IsFalse(scenario.Runtime.ReturnsHistory);
    }

    /// <summary>
    /// The sidecar runs as many work items at once as the app's host.json lets the Functions host
    /// run, and the next one waits for a slot to be freed (the test host's own dispatcher runs
    /// Environment.ProcessorCount of them and polls for a free slot every 500 ms).
    /// </summary>
    [TestMethod]
    public async Task The_test_hosts_sidecar_dispatches_at_the_apps_concurrency_and_the_next_work_item_waits_for_a_freed_slot()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")));
        var durable = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask");
        Assert.AreEqual(
            new HostConcurrency(durable.GetProperty("maxConcurrentOrchestratorFunctions").GetInt32(), durable.GetProperty("maxConcurrentActivityFunctions").GetInt32()),
            HostConcurrency.OfApp());

        var backend = new InMemoryOrchestrationService();
        var gate = new ConcurrencyGatedOrchestrationService(backend, new HostConcurrency(Orchestrations: 1, Activities: 1));
        Assert.AreEqual(int.MaxValue, gate.MaxConcurrentTaskOrchestrationWorkItems, "the sidecar's own limit never holds it");
        foreach (var id in new[] { "first", "second" })
        {
            var instance = new OrchestrationInstance { InstanceId = id, ExecutionId = id };
            await backend.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance, Event = new ExecutionStartedEvent(-1, null) { OrchestrationInstance = instance, Name = "o" } });
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await gate.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(30), timeout.Token);
        var second = gate.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(30), timeout.Token);
        await Task.Delay(200, timeout.Token);
        Assert.IsFalse(second.IsCompleted, "a second orchestration ran beside the first");

        // Waiting on the slot itself, not polling for it: released, the second one runs.
        await gate.ReleaseTaskOrchestrationWorkItemAsync(first);
        Assert.AreNotEqual(first.InstanceId, (await second).InstanceId);
    }

    [TestMethod]
    public async Task The_test_hosts_worker_and_client_convert_payloads_with_the_apps_serializer()
    {
        var root = Directory.CreateTempSubdirectory("bo-conf-").FullName;
        try
        {
            await using var runtime = await DurableTaskRuntime.StartAsync(root, new RuntimeSettings(), CancellationToken.None);

            var serializer = runtime.App.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer;
            Assert.AreSame(serializer, runtime.Converter.Serializer);
            Assert.AreSame(runtime.Converter, runtime.Worker.GetRequiredService<IOptionsMonitor<DurableTaskWorkerOptions>>().Get(Options.DefaultName).DataConverter);
            Assert.AreSame(runtime.Converter, runtime.Worker.GetRequiredService<IOptionsMonitor<DurableTaskClientOptions>>().Get(Options.DefaultName).DataConverter);

            // The app's rules are System.Text.Json's web defaults: camelCase, and enums as numbers.
            Assert.AreEqual("""{"succeeded":false,"errors":[{"taskName":"load","message":"boom"}]}""", runtime.Converter.Serialize(new AttemptOutcome(false, [new TaskError("load", "boom")])));
            Assert.AreEqual("3", runtime.Converter.Serialize(Engine.Stores.AttemptStatus.Killed));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
