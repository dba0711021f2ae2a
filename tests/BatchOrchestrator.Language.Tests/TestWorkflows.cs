using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Projects;

namespace BatchOrchestrator.Language.Tests;

/// <summary>Loads workflow text the way <c>bo check</c> loads a file, for tests.</summary>
internal static class TestWorkflows
{
    public static Task<WorkflowCheckResult> LoadAsync(string yaml, string path = "wf.dig") =>
        new WorkflowLoader(TestSupport.HostOperators.Catalog).LoadTextAsync(path, yaml, CancellationToken.None);

    public static async Task<TaskPlan> CompileAsync(string yaml, string path = "wf.dig")
    {
        var result = await LoadAsync(yaml, path);
        Assert.IsTrue(result.IsValid, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Plan!;
    }

    /// <summary>The error lines of an invalid workflow (warnings excluded).</summary>
    public static async Task<IReadOnlyList<string>> ErrorsAsync(string yaml, string path = "wf.dig")
    {
        var result = await LoadAsync(yaml, path);
        Assert.IsFalse(result.IsValid, "expected the workflow to be invalid");
        return result.Errors.Select(e => e.ToString()).ToList();
    }
}
