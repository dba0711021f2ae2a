using BatchOrchestrator.Language.Tests.TestSupport;

namespace BatchOrchestrator.Language.Tests.Syntax;

/// <summary>YAML that does not parse gets one positioned error naming the likely mistake, never a crash.</summary>
[TestClass]
public sealed class MalformedYamlTests
{
    [TestMethod]
    public async Task An_unclosed_quote_is_reported_at_the_opening_quote()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", "+a:\n  sh>: \"echo hi\n+b:\n  echo>: x\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.StartsWith($"{path}:2:8: invalid YAML: ", error.ToString());
        Assert.Contains("is a closing quote missing?", error.Message);
    }

    [TestMethod]
    public async Task A_line_indented_less_than_its_siblings_is_reported_at_that_line()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", "+a:\n    sh>: echo hi\n  echo>: x\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.StartsWith($"{path}:3:3: invalid YAML: ", error.ToString());
        Assert.Contains("indented like the keys above it", error.Message);
    }

    [TestMethod]
    public async Task An_unclosed_flow_list_is_reported_at_its_bracket_instead_of_crashing()
    {
        // YamlDotNet 16.3 throws InvalidOperationException (not a YamlException) on this input.
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", "+a:\n  _export: {a: 1, b: [1,2\n  echo>: x\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:2:22: invalid YAML: the '[' here is never closed with ']' (a flow list must end before the lines that follow it)", error.ToString());
    }

    [TestMethod]
    public async Task A_tab_indented_line_is_reported_at_the_tab()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", "+a:\n  sh>: echo hi\n+b:\n\techo>: x\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:4:1: tab character used for indentation; YAML allows only spaces — replace the tabs with spaces", error.ToString());
    }

    [TestMethod]
    public async Task A_tab_inside_a_block_scalar_is_script_content_not_indentation()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", "+a:\n  sh>: |\n    if true; then\n    \techo hi\n    fi\n");

        var result = await TempWorkflowDirectory.CheckAsync(path);

        Assert.IsTrue(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.AreEqual("if true; then\n\techo hi\nfi\n", result.Definition!.Root.Children[0].Operator!.Command!.ToString());
    }

    [TestMethod]
    public async Task A_second_YAML_document_is_rejected_at_its_separator()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", "+a:\n  echo>: x\n---\n+b:\n  echo>: y\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:3:1: a workflow file holds one YAML document; remove the second '---' document", error.ToString());
    }

    [TestMethod]
    public async Task An_empty_file_is_rejected_with_what_a_workflow_looks_like()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", string.Empty);

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:1:1: the file has no content (it is empty or only comments); a workflow is a mapping of tasks, e.g. '+hello:' with 'echo>: hi' under it", error.ToString());
    }

    [TestMethod]
    public async Task A_file_of_only_comments_is_rejected_like_an_empty_one()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("wf.dig", "# the tasks go here\n\n   # later\n");

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.StartsWith($"{path}:1:1: the file has no content (it is empty or only comments)", error.ToString());
    }

    [TestMethod]
    public async Task Empty_text_given_directly_is_rejected_with_a_reason()
    {
        // An upload (LoadTextAsync) used to come back invalid with no diagnostic at all.
        var result = await new Projects.WorkflowLoader(TestSupport.HostOperators.Catalog).LoadTextAsync("upload.dig", "# nothing\n", CancellationToken.None);

        var error = TempWorkflowDirectory.SingleError(result);
        Assert.StartsWith("upload.dig:1:1: the file has no content", error.ToString());
    }
}
