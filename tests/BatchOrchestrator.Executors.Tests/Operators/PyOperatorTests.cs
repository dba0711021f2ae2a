using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Executors.Tests.Support;

namespace BatchOrchestrator.Executors.Tests.Operators;

[TestClass]
public sealed class PyOperatorTests
{
    private const string Tasks = """
        import digdag


        class Report(object):
            def __init__(self, media="all"):
                self.media = media

            def collect(self, day, limit=10):
                print("collecting %s for %s" % (self.media, day))
                digdag.env.store({"collected": "%s:%s:%d" % (self.media, day, limit)})

            def split(self):
                digdag.env.export({"batch": "b1"})
                digdag.env.add_subtask(Report.collect, day="d1")
                digdag.env.add_subtask({"_type": "sh", "_command": "echo done"}, note=1)
                digdag.env.reset_store(["old_key"])

            def needs(self, missing_param):
                pass


        class Loader(object):
            def run(self, target):
                digdag.env.store(loaded=target)


        def everything(**params):
            digdag.env.store(keys=sorted(k for k in params if not k.startswith("_")))


        def explode(value):
            inner(value)


        def inner(value):
            raise ValueError("bad input: %s" % value)
        """;

    private readonly PyOperator _py = new();

    [TestMethod]
    public async Task ClassMethodGetsConstructorAndMethodArgumentsFromParams()
    {
        await using var harness = new OperatorHarness();
        harness.Executor.Root.Write("reports/tasks.py", Tasks);
        harness.Executor.Root.Write("reports/__init__.py", "");
        var request = harness.Request("py", "reports.tasks.Report.collect", new { media = "tv", day = "2026-01-01", other = 1 });
        var result = await harness.RunAsync(_py, request);
        Assert.AreEqual("tv:2026-01-01:10", result.StoreParams!.Value.GetProperty("collected").GetString());
        Assert.Contains("collecting tv for 2026-01-01", harness.Log(request));
    }

    [TestMethod]
    public async Task FunctionWithKeywordsReceivesEveryParam()
    {
        await using var harness = new OperatorHarness();
        harness.Executor.Root.Write("tasks.py", Tasks);
        var result = await harness.RunAsync(_py, harness.Request("py", "tasks.everything", new { b = 1, a = "x" }));
        CollectionAssert.AreEqual(new[] { "a", "b" }, result.StoreParams!.Value.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ToArray());
    }

    [TestMethod]
    public async Task AClassAloneRunsItsRunMethod()
    {
        await using var harness = new OperatorHarness();
        harness.Executor.Root.Write("tasks.py", Tasks);
        var result = await harness.RunAsync(_py, harness.Request("py", "tasks.Loader", new { target = "sqlite" }));
        Assert.AreEqual("sqlite", result.StoreParams!.Value.GetProperty("loaded").GetString());
    }

    [TestMethod]
    public async Task ExportSubtasksAndResetStoreComeBack()
    {
        await using var harness = new OperatorHarness();
        harness.Executor.Root.Write("tasks.py", Tasks);
        var result = await harness.RunAsync(_py, harness.Request("py", "tasks.Report.split"));
        Assert.AreEqual("b1", result.ExportParams!.Value.GetProperty("batch").GetString());
        Assert.IsNull(result.StoreParams);
        CollectionAssert.AreEqual(new[] { "old_key" }, result.ResetStoreParams.ToArray());
        var subtasks = result.Subtasks!.Value;
        CollectionAssert.AreEqual(new[] { "+subtask0", "+subtask1" }, subtasks.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.AreEqual("tasks.Report.collect", subtasks.GetProperty("+subtask0").GetProperty("py>").GetString());
        Assert.AreEqual("d1", subtasks.GetProperty("+subtask0").GetProperty("day").GetString());
        Assert.AreEqual("sh", subtasks.GetProperty("+subtask1").GetProperty("_type").GetString());
        Assert.AreEqual(1, subtasks.GetProperty("+subtask1").GetProperty("note").GetInt32());
    }

    [TestMethod]
    public async Task AMissingRequiredParamFailsWithItsName()
    {
        await using var harness = new OperatorHarness();
        harness.Executor.Root.Write("tasks.py", Tasks);
        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => harness.RunAsync(_py, harness.Request("py", "tasks.Report.needs")));
        Assert.StartsWith("TypeError: Method 'Report.needs' requires parameter 'missing_param' but not set", failure.Message);
    }

    [TestMethod]
    public async Task APythonExceptionFailsWithTypeAndMessageAndTheUsersTraceback()
    {
        await using var harness = new OperatorHarness();
        harness.Executor.Root.Write("tasks.py", Tasks);
        var request = harness.Request("py", "tasks.explode", new { value = 7 });
        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => harness.RunAsync(_py, request));
        Assert.AreEqual("ValueError: bad input: 7", failure.Message);
        var traceback = failure.Traceback ?? "";
        StringAssert.StartsWith(traceback, "Traceback (most recent call last):\n  File ");
        Assert.Contains("in explode", traceback);
        Assert.Contains("in inner", traceback);
        StringAssert.EndsWith(traceback, "ValueError: bad input: 7");
        Assert.DoesNotContain("bo_py_runner", traceback, "the runner's own frames are left out");
        Assert.DoesNotContain("bo_py_runner", harness.Log(request));
        Assert.Contains("Traceback (most recent call last)", harness.Log(request));
    }

    [TestMethod]
    public async Task AScriptPathRunsAsMainWithTheDigdagModule()
    {
        await using var harness = new OperatorHarness();
        harness.Executor.Root.Write("scripts/job.py", """
            import digdag
            if __name__ == "__main__":
                print("script sees", digdag.env.params["x"])
                digdag.env.store({"from_script": digdag.env.params["x"] * 2})
            """);
        var request = harness.Request("py", "scripts/job.py", new { x = 21 });
        var result = await harness.RunAsync(_py, request);
        Assert.AreEqual(42, result.StoreParams!.Value.GetProperty("from_script").GetInt32());
        Assert.Contains("script sees 21", harness.Log(request));
    }

    [TestMethod]
    public async Task AnUnknownModuleFailsClearly()
    {
        await using var harness = new OperatorHarness();
        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => harness.RunAsync(_py, harness.Request("py", "nowhere.to.be.found")));
        Assert.StartsWith("ModuleNotFoundError: py>: no module found for 'nowhere.to.be.found'", failure.Message);
    }

    [TestMethod]
    public async Task PythonOptionChoosesTheInterpreter()
    {
        await using var harness = new OperatorHarness();
        harness.Executor.Root.Write("tasks.py", "import sys, digdag\ndef which():\n    digdag.env.store(flags=sys.flags.dev_mode)\n");
        var request = harness.Request("py", "tasks.which", config: new { python = new[] { "python3", "-X", "dev" } });
        Assert.AreEqual("python3", _py.BuildCommand(request).Command[0]);
        var result = await harness.RunAsync(_py, request);
        Assert.IsTrue(result.StoreParams!.Value.GetProperty("flags").GetBoolean());
    }
}
