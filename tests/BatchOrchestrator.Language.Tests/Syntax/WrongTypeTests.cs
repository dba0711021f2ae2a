using BatchOrchestrator.Language.Tests.TestSupport;

namespace BatchOrchestrator.Language.Tests.Syntax;

/// <summary>Well-formed YAML with a value of the wrong type: the error points at the value and says what was expected.</summary>
[TestClass]
public sealed class WrongTypeTests
{
    [TestMethod]
    public async Task Parallel_maybe_is_not_a_boolean()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", "+a:\n  _parallel: maybe\n  +b:\n    echo>: x\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:2:14: _parallel: expected true, false, 'limit: N' or a ${{...}} template, got 'maybe'", error.ToString());
    }

    [TestMethod]
    public async Task A_negative_retry_count_is_rejected()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", "+a:\n  _retry: -1\n  echo>: x\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.StartsWith($"{path}:2:11: _retry: expected a whole number ≥ 0", error.ToString());
        Assert.EndsWith("got '-1'", error.Message);
    }

    [TestMethod]
    public async Task A_loop_count_that_is_not_a_number_is_rejected()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", "+a:\n  loop>: abc\n  _do:\n    echo>: x\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.StartsWith($"{path}:2:10: loop>: expected a whole number ≥ 0", error.ToString());
        Assert.EndsWith("got 'abc'", error.Message);
    }
}
