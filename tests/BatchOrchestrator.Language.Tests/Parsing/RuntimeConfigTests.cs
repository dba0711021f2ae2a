using System.Text.Json;
using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Parsing;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Language.Tests.Parsing;

[TestClass]
public sealed class RuntimeConfigTests
{
    [TestMethod]
    public void A_subtask_config_from_json_is_validated_and_compiled_like_a_file()
    {
        using var json = JsonDocument.Parse("""{"+a": {"sh>": "echo 1", "_retry": 2}, "+b": {"echo>": "done"}}""");
        var origin = new SourceLocation("tasks/gen.py", 0, 0);
        var node = (MappingNode)ConfigNodeJson.FromJson(json.RootElement, origin);
        var diagnostics = new DiagnosticBag();
        var task = new WorkflowParser(TestSupport.HostOperators.Catalog).ParseTask("^sub", node, diagnostics);
        Assert.IsFalse(diagnostics.HasErrors);

        var plan = TaskPlanCompiler.CompileTree(task, "+wf+gen^sub", "wf");
        CollectionAssert.AreEqual(new[] { "+wf+gen^sub", "+wf+gen^sub+a", "+wf+gen^sub+b" }, plan.Tasks.Select(t => t.FullName).ToArray());
        Assert.AreEqual(2, plan.Find("+wf+gen^sub+a")!.Retry!.Limit);
    }

    [TestMethod]
    public void A_bad_subtask_config_from_json_is_reported_at_its_origin()
    {
        using var json = JsonDocument.Parse("""{"+a": {"sh>": "echo 1", "_retry": "often"}}""");
        var diagnostics = new DiagnosticBag();
        new WorkflowParser(TestSupport.HostOperators.Catalog).ParseTask("^sub", (MappingNode)ConfigNodeJson.FromJson(json.RootElement, new SourceLocation("tasks/gen.py", 0, 0)), diagnostics);
        Assert.Contains("tasks/gen.py: _retry: expected a whole number ≥ 0 (how many times to retry)", diagnostics.Items.Single().ToString());
    }
}
