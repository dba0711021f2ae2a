using System.Text;
using BatchOrchestrator.Language.Tests.TestSupport;

namespace BatchOrchestrator.Language.Tests.Syntax;

/// <summary>
/// <c>!include</c> cannot be used to escape the limits: cycles are named with their chain, and the
/// nesting and size limits hold for the workflow with every included file spliced in.
/// </summary>
[TestClass]
public sealed class IncludeLimitTests
{
    [TestMethod]
    public async Task An_include_cycle_is_reported_with_the_whole_chain()
    {
        using var dir = new TempWorkflowDirectory();
        var a = dir.Write("a.dig", "+from_a:\n  !include : b.dig\n");
        var b = dir.Write("b.dig", "+from_b:\n  !include : a.dig\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(a));

        Assert.AreEqual($"{b}:2:14: !include cycle: {a} -> {b} -> {a}", error.ToString());
    }

    [TestMethod]
    public async Task Includes_nesting_past_the_depth_limit_are_refused_instead_of_overflowing_the_stack()
    {
        // Twenty files, each 250 groups deep, each including the next at its deepest point:
        // 5,000 levels in all, which used to crash the process with a stack overflow.
        using var dir = new TempWorkflowDirectory();
        const int Files = 20;
        const int Depth = 250;
        for (var file = 0; file < Files; file++)
        {
            var text = new StringBuilder();
            for (var level = 0; level < Depth; level++)
            {
                text.Append(' ', 2 * level).Append($"+g{level}:\n");
            }

            text.Append(' ', 2 * Depth).Append(file < Files - 1 ? $"!include : f{file + 1}.dig\n" : "echo>: bottom\n");
            dir.Write($"f{file}.dig", text.ToString());
        }

        var first = Path.Combine(dir.Root, "f0.dig");
        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(first));

        Assert.AreEqual($"{first}:251:512: with 'f1.dig' included here, nesting is deeper than 256 levels; flatten the workflow or use call>", error.ToString());
    }

    [TestMethod]
    public async Task Files_including_each_other_ten_times_over_are_refused_before_they_expand()
    {
        // The include version of "billion laughs": nine files, each including the next ten times
        // (10^8 tasks). It used to run for minutes, re-reading the same files, until memory ran out.
        using var dir = new TempWorkflowDirectory();
        const int Files = 9;
        for (var file = 0; file < Files; file++)
        {
            var text = new StringBuilder();
            for (var copy = 0; copy < 10; copy++)
            {
                text.Append($"+copy{copy}:\n").Append(file < Files - 1 ? $"  !include : b{file + 1}.dig\n" : "  echo>: x\n");
            }

            dir.Write($"b{file}.dig", text.ToString());
        }

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(Path.Combine(dir.Root, "b0.dig")));

        Assert.Contains("included here, the workflow expands to more than 2,000,000 values (are files included many times over?)", error.Message);
        Assert.IsTrue(error.Location.Line > 0, error.ToString());
    }

    [TestMethod]
    public async Task A_file_included_several_times_is_spliced_in_each_time()
    {
        using var dir = new TempWorkflowDirectory();
        dir.Write("step.dig", "+run:\n  sh>: echo step\n");
        var main = dir.Write("main.dig", "+first:\n  !include : step.dig\n+second:\n  !include : step.dig\n");

        var result = await TempWorkflowDirectory.CheckAsync(main);

        Assert.IsTrue(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        CollectionAssert.AreEqual(
            new[] { "+main", "+main+first", "+main+first+run", "+main+second", "+main+second+run" },
            result.Plan!.Tasks.Select(t => t.FullName).ToArray());
    }
}
