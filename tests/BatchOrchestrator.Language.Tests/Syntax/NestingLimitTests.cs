using System.Text;
using BatchOrchestrator.Language.Tests.TestSupport;

namespace BatchOrchestrator.Language.Tests.Syntax;

/// <summary>
/// Nesting deeper than <see cref="Language.Syntax.YamlLimits.MaxDepth"/> (256) is refused at the first
/// level too deep, whatever the style: no recursion anywhere can then overflow the stack.
/// </summary>
[TestClass]
public sealed class NestingLimitTests
{
    private const int Levels = 10_000;

    [TestMethod]
    public async Task Ten_thousand_nested_block_lists_are_refused_at_level_257()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", string.Concat(Enumerable.Repeat("- ", Levels)) + "x\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:1:513: nesting is deeper than 256 levels; flatten the workflow (or split it with !include)", error.ToString());
    }

    [TestMethod]
    public async Task Ten_thousand_nested_block_task_groups_are_refused_at_level_257()
    {
        // One space of indentation per level keeps 10,000 levels at 50 MB, over the size limit,
        // so the block-mapping case nests just past the limit instead.
        using var dir = new TempWorkflowDirectory();
        var text = new StringBuilder();
        for (var level = 0; level < 300; level++)
        {
            text.Append(' ', level).Append("+g:\n");
        }

        var path = dir.Write("wf.dig", text.Append(' ', 300).Append("echo>: x\n").ToString());

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:257:257: nesting is deeper than 256 levels; flatten the workflow (or split it with !include)", error.ToString());
    }

    [TestMethod]
    public async Task Ten_thousand_nested_flow_lists_are_refused_at_level_257()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", new string('[', Levels) + new string(']', Levels) + "\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:1:257: nesting is deeper than 256 levels; flatten the workflow (or split it with !include)", error.ToString());
    }

    [TestMethod]
    public async Task Ten_thousand_nested_flow_mappings_are_refused_at_level_257()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", string.Concat(Enumerable.Repeat("{a: ", Levels)) + "x" + new string('}', Levels) + "\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:1:1025: nesting is deeper than 256 levels; flatten the workflow (or split it with !include)", error.ToString());
    }

    [TestMethod]
    public async Task A_billion_laughs_alias_bomb_is_refused_before_it_expands()
    {
        // Nine levels of anchors, each a list of ten aliases of the one before: 10^9 values.
        using var dir = new TempWorkflowDirectory();
        var text = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            text.Append($"l{level}: &l{level} [").AppendJoin(", ", Enumerable.Repeat($"*l{level - 1}", 10)).Append("]\n");
        }

        var path = dir.Write("wf.dig", text.Append("+a:\n  echo>: ${l9}\n").ToString());

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:7:10: the document expands to more than 2,000,000 values (YAML aliases repeating aliases?); refusing to expand it", error.ToString());
    }
}
