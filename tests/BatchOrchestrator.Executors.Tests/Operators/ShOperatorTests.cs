using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Executors.Tests.Support;

namespace BatchOrchestrator.Executors.Tests.Operators;

[TestClass]
public sealed class ShOperatorTests
{
    private readonly ShOperator _sh = new();

    [TestMethod]
    public async Task ExitZeroSucceedsWithNoParams()
    {
        await using var harness = new OperatorHarness();
        var result = await harness.RunAsync(_sh, harness.Request("sh", "echo hello"));
        Assert.IsNull(result.StoreParams);
    }

    [TestMethod]
    public async Task NonZeroExitFailsWithExitCodeAndLastLines()
    {
        await using var harness = new OperatorHarness();
        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(
            () => harness.RunAsync(_sh, harness.Request("sh", "echo 'something broke' >&2; exit 4")));
        Assert.Contains("exit code 4", failure.Message);
        Assert.Contains("something broke", failure.Message);
    }

    [TestMethod]
    public async Task ParamsBecomeEnvironmentVariablesWithJsonForNonStrings()
    {
        await using var harness = new OperatorHarness();
        var request = harness.Request("sh", "env", new Dictionary<string, object?>
        {
            ["name"] = "two words",
            ["count"] = 3,
            ["flag"] = true,
            ["mysql"] = new { host = "db", port = 3306 },
            ["list"] = new object[] { 1, "b" },
            ["not-a-name"] = "skipped",
            ["9lives"] = "skipped",
        });
        await harness.RunAsync(_sh, request);
        var lines = harness.Log(request).Split('\n');
        CollectionAssert.Contains(lines, "name=two words");
        CollectionAssert.Contains(lines, "count=3");
        CollectionAssert.Contains(lines, "flag=true");
        CollectionAssert.Contains(lines, "mysql={\"host\":\"db\",\"port\":3306}");
        CollectionAssert.Contains(lines, "list=[1,\"b\"]");
        Assert.IsFalse(lines.Any(l => l.StartsWith("not-a-name=", StringComparison.Ordinal) || l.StartsWith("9lives=", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task ShellMetacharactersInParamsNeverExecute()
    {
        await using var harness = new OperatorHarness();
        var request = harness.Request("sh", "echo \"[$evil]\"; echo [$evil2]; eval_free=1", new Dictionary<string, object?>
        {
            ["evil"] = "$(touch pwned)",
            ["evil2"] = "`touch pwned2`;touch${IFS}pwned3",
        });
        await harness.RunAsync(_sh, request);
        Assert.AreEqual("[$(touch pwned)]\n[`touch pwned2`;touch${IFS}pwned3]\n", harness.Log(request));
        Assert.IsEmpty(Directory.GetFiles(harness.Project, "pwned*"));
    }

    [TestMethod]
    public async Task EnvOverridesParamsOfTheSameName()
    {
        await using var harness = new OperatorHarness();
        var request = harness.Request("sh", "echo \"$REGION/$TOKEN\"", new { REGION = "from-param" }) with
        {
            Environment = new Dictionary<string, string> { ["REGION"] = "from-env", ["TOKEN"] = "t0k" },
        };
        await harness.RunAsync(_sh, request);
        Assert.AreEqual("from-env/t0k\n", harness.Log(request));
    }

    [TestMethod]
    public async Task RunsInTheWorkflowDirectory()
    {
        await using var harness = new OperatorHarness();
        harness.Executor.Root.Write("tasks/hello.sh", "echo \"hello from $(basename \"$PWD\")\"\n");
        var request = harness.Request("sh", "sh tasks/hello.sh");
        await harness.RunAsync(_sh, request);
        Assert.AreEqual($"hello from {Path.GetFileName(harness.Project)}\n", harness.Log(request));
    }

    [TestMethod]
    public async Task KeyValueLinesInBoOutputBecomeStoreParams()
    {
        await using var harness = new OperatorHarness();
        var result = await harness.RunAsync(_sh, harness.Request("sh", "printf '# comment\\nrows=42\\n\\npath=/a=b\\n' > \"$BO_OUTPUT\""));
        Assert.AreEqual("42", result.StoreParams!.Value.GetProperty("rows").GetString());
        Assert.AreEqual("/a=b", result.StoreParams!.Value.GetProperty("path").GetString());
    }

    [TestMethod]
    public async Task JsonObjectInBoOutputBecomesStoreParams()
    {
        await using var harness = new OperatorHarness();
        var result = await harness.RunAsync(_sh, harness.Request("sh", "echo '{\"rows\": 42, \"tables\": [\"a\"]}' > \"$BO_OUTPUT\""));
        Assert.AreEqual(42, result.StoreParams!.Value.GetProperty("rows").GetInt32());
        Assert.AreEqual("a", result.StoreParams!.Value.GetProperty("tables")[0].GetString());
    }

    [TestMethod]
    public async Task BadBoOutputFailsClearly()
    {
        await using var harness = new OperatorHarness();
        var notKeyValue = await Assert.ThrowsExactlyAsync<TaskFailure>(
            () => harness.RunAsync(_sh, harness.Request("sh", "echo 'just some words' > \"$BO_OUTPUT\"")));
        Assert.Contains("line 1 is not 'key=value'", notKeyValue.Message);
        var badJson = await Assert.ThrowsExactlyAsync<TaskFailure>(
            () => harness.RunAsync(_sh, harness.Request("sh", "echo '{\"rows\": ' > \"$BO_OUTPUT\"")));
        Assert.Contains("not a valid JSON object", badJson.Message);
    }

    [TestMethod]
    public async Task ShellOptionFromExportedShParams()
    {
        await using var harness = new OperatorHarness();
        var request = harness.Request("sh", "echo \"bash=${BASH_VERSION:+yes}\"", new Dictionary<string, object?> { ["sh"] = new { shell = new[] { "bash" } } });
        CollectionAssert.AreEqual(new[] { "bash", "-c", "echo \"bash=${BASH_VERSION:+yes}\"" }, _sh.BuildCommand(request).Command.ToArray());
        await harness.RunAsync(_sh, request);
        Assert.AreEqual("bash=yes\n", harness.Log(request));
    }

    [TestMethod]
    public void ShellOptionOnTheTaskWinsAndKeepsAnExplicitDashC()
    {
        var harnessless = new TaskRequest
        {
            AttemptId = "a",
            TaskName = "+t",
            OperatorName = "sh",
            Command = JsonSerializer.SerializeToElement("echo hi"),
            Config = JsonSerializer.SerializeToElement(new { shell = new[] { "/bin/bash", "-e", "-c" } }),
            Params = JsonSerializer.SerializeToElement(new { sh = new { shell = new[] { "zsh" } } }),
            WorkingDirectory = "/",
            Log = new BatchOrchestrator.Engine.Stores.TaskLogKey("p", "w", "s", "a", "+t", 0),
        };
        CollectionAssert.AreEqual(new[] { "/bin/bash", "-e", "-c", "echo hi" }, _sh.BuildCommand(harnessless).Command.ToArray());
    }

    [TestMethod]
    public void MissingScriptIsAConfigError()
    {
        var request = new TaskRequest
        {
            AttemptId = "a",
            TaskName = "+t",
            OperatorName = "sh",
            Command = JsonSerializer.SerializeToElement(new[] { "not", "a", "string" }),
            WorkingDirectory = "/",
            Log = new BatchOrchestrator.Engine.Stores.TaskLogKey("p", "w", "s", "a", "+t", 0),
        };
        var failure = Assert.ThrowsExactly<TaskFailure>(() => _sh.BuildCommand(request));
        Assert.IsFalse(failure.Retryable);
    }
}
