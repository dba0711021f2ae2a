using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Engine.Operators.Builtin.Control;
using BatchOrchestrator.Engine.Operators.Builtin.Params;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Projects;
using BatchOrchestrator.Storage.Blob.Operators;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Engine.Tests.Operators;

/// <summary>The registry of operator definitions: the one place an operator is described, and what checks and dispatch read.</summary>
[TestClass]
public sealed class OperatorRegistryTests
{
    private static OperatorRegistry Host() => new BlobOperators(hostDefault: null).AddTo(new OperatorRegistry().AddBuiltins());

    [TestMethod]
    public void A_second_definition_of_a_name_is_refused_built_in_or_not()
    {
        var registry = Host();
        var echo = OperatorDefinition.Orchestrator(new OperatorDescription("echo", "another echo"), new EchoOperator());
        var wait = OperatorDefinition.Orchestrator(new OperatorDescription("wait", "a wait without timers"), new EchoOperator());

        var builtin = Assert.ThrowsExactly<ArgumentException>(() => registry.Add(echo));
        var interpreter = Assert.ThrowsExactly<ArgumentException>(() => registry.Add(wait));

        StringAssert.Contains(builtin.Message, "An operator named 'echo' is already registered.");
        StringAssert.Contains(interpreter.Message, "An operator named 'wait' is already registered.", "the interpreter's own operators cannot be replaced");
    }

    [TestMethod]
    public void Every_operator_of_the_hosts_has_a_kind_a_description_and_what_runs_it()
    {
        var registry = Host();

        CollectionAssert.AreEquivalent(
            new[] { "call", "require", "wait", "if", "loop", "for_each", "for_range", "fail", "echo", "sh", "py", "rb", "http", "mail", "param_get", "param_set", "notify", "blob_wait", "blob" },
            registry.Names.ToArray());
        foreach (var definition in registry.Definitions)
        {
            Assert.AreEqual(definition.Name, definition.Description.Name);
            Assert.IsFalse(string.IsNullOrWhiteSpace(definition.Description.Summary), definition.Name);
            Assert.IsNotNull(definition.Description.Options, $"{definition.Name}>: its options are checked");
            var runners = new object?[] { definition.Evaluator, definition.CreateActivity, definition.Script }.Count(r => r is not null);
            Assert.AreEqual(definition.Kind == OperatorKind.Interpreter ? 0 : 1, runners, $"{definition.Name}> ({definition.Kind})");
        }

        Assert.AreEqual(OperatorKind.Orchestrator, registry.Find("loop")!.Kind);
        Assert.AreEqual(OperatorKind.Activity, registry.Find("blob_wait")!.Kind);
        Assert.AreEqual(OperatorKind.Command, registry.Find("sh")!.Kind);
        Assert.AreEqual(OperatorKind.Interpreter, registry.Find("call")!.Kind);
    }

    [TestMethod]
    public void The_activity_operators_are_made_once_each_with_the_names_of_their_definitions()
    {
        // Making operators writes nothing: the log folder is never created.
        using var http = new HttpClient();
        var services = new OperatorServices(http, new FileLogStore(Path.Combine(Path.GetTempPath(), "bo-registry-unused")), new FileParams());

        var activities = Host().CreateActivities(services);

        CollectionAssert.AreEqual(new[] { "blob", "blob_wait", "http", "mail", "notify", "param_get", "param_set" }, activities.Names.ToArray());
        var misnamed = new OperatorRegistry().Add(OperatorDefinition.Activity(new OperatorDescription("count", "counts"), s => new ParamGetOperator(s.Params)));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => misnamed.CreateActivities(services));
        Assert.AreEqual("The definition of count> made an operator named 'param_get'.", error.Message);
    }

    [TestMethod]
    public async Task A_typo_gets_a_did_you_mean_and_a_Digdag_vendor_operator_is_named_as_not_supported()
    {
        var loader = new WorkflowLoader(Host());

        var result = await loader.LoadTextAsync("wf.dig", "+a:\n  blob_wiat>: c/b\n+b:\n  td>: q.sql\n", CancellationToken.None);

        var errors = result.Errors.Select(e => e.ToString()).ToList();
        Assert.HasCount(2, errors);
        StringAssert.StartsWith(errors[0], "wf.dig:2:3: unknown operator 'blob_wiat>'; did you mean 'blob_wait>'? (operators: call>, require>, wait>, if>,");
        StringAssert.StartsWith(errors[1], "wf.dig:4:3: operator td> (Treasure Data) is a Digdag operator not supported by BatchOrchestrator");
        Assert.IsNull(Host().NotProvided("blob"));
        Assert.AreEqual("Treasure Data", Host().NotProvided("td"));
    }

    [TestMethod]
    public async Task A_host_that_registers_a_Digdag_vendor_name_runs_its_own_operator_instead()
    {
        var registry = Host().Add(OperatorDefinition.Orchestrator(new OperatorDescription("td", "a team's own td> stand-in") { CommandRequired = false }, new EchoOperator()));

        var result = await new WorkflowLoader(registry).LoadTextAsync("wf.dig", "+b:\n  td>: q.sql\n", CancellationToken.None);

        Assert.IsTrue(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.IsNull(registry.NotProvided("td"));
    }

    /// <summary>Params for operators that are made but never run here.</summary>
    private sealed class FileParams : IParamStore
    {
        public Task<IReadOnlyDictionary<string, JsonElement>> GetAsync(string project, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetAsync(string project, IReadOnlyDictionary<string, JsonElement> values, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
