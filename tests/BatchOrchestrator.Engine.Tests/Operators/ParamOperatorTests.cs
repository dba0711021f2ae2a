using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin.Params;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Tests.Operators;

/// <summary>param_set>/param_get> against an in-memory store: scoping by project and config errors.</summary>
[TestClass]
public sealed class ParamOperatorTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Keys_are_scoped_by_the_task_project()
    {
        var store = new MemoryParamStore();
        await new ParamSetOperator(store).RunAsync(Request("param_set", """{"k": "v"}""", project: "a"), TestContext.CancellationToken);

        var own = await new ParamGetOperator(store).RunAsync(Request("param_get", """{"k": "got"}""", project: "a"), TestContext.CancellationToken);
        var other = await new ParamGetOperator(store).RunAsync(Request("param_get", """{"k": "got"}""", project: "b"), TestContext.CancellationToken);

        Assert.AreEqual("v", own.StoreParams!.Value.GetProperty("got").GetString());
        Assert.AreEqual(string.Empty, other.StoreParams!.Value.GetProperty("got").GetString());
    }

    [TestMethod]
    [DataRow("param_set", "{}", "param_set>: no key is set")]
    [DataRow("param_get", "{}", "param_get>: no key is set")]
    [DataRow("param_set", "\"k\"", "param_set>: expected a mapping of keys, got a string")]
    [DataRow("param_get", """{"k": ""}""", "key 'k' must map to the name of the param")]
    public async Task A_wrong_command_fails_without_retry_saying_what_is_wrong(string name, string command, string expected)
    {
        IOperator op = name == "param_set" ? new ParamSetOperator(new MemoryParamStore()) : new ParamGetOperator(new MemoryParamStore());

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => op.RunAsync(Request(name, command), TestContext.CancellationToken));

        StringAssert.Contains(failure.Message, expected);
        Assert.IsFalse(failure.Retryable);
    }

    private static TaskRequest Request(string name, string command, string project = "p") => new()
    {
        AttemptId = "a1",
        TaskName = "+wf+t",
        OperatorName = name,
        Command = JsonElement.Parse(command),
        WorkingDirectory = ".",
        Log = new TaskLogKey(project, "wf", "2026-11-21", "a1", "+wf+t", 0),
    };

    /// <summary>A store in a dictionary, keyed by (project, key).</summary>
    private sealed class MemoryParamStore : IParamStore
    {
        private readonly Dictionary<(string, string), JsonElement> _values = [];

        public Task<IReadOnlyDictionary<string, JsonElement>> GetAsync(string project, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
        {
            IReadOnlyDictionary<string, JsonElement> found = keys
                .Where(k => _values.ContainsKey((project, k)))
                .Distinct(StringComparer.Ordinal)
                .ToDictionary(k => k, k => _values[(project, k)], StringComparer.Ordinal);
            return Task.FromResult(found);
        }

        public Task SetAsync(string project, IReadOnlyDictionary<string, JsonElement> values, CancellationToken cancellationToken)
        {
            foreach (var (key, value) in values)
            {
                _values[(project, key)] = value;
            }

            return Task.CompletedTask;
        }
    }
}
