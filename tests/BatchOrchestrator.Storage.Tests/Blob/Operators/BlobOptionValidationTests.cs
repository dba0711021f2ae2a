using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Language.Projects;
using BatchOrchestrator.Storage.Blob.Operators;

namespace BatchOrchestrator.Storage.Tests.Blob.Operators;

/// <summary>
/// bo check on blob_wait> and blob> options, with the definitions a host registers: each mistake
/// at its file:line:col. The rules live beside the operators (<see cref="BlobOptionRules"/>).
/// </summary>
[TestClass]
public sealed class BlobOptionValidationTests
{
    private static readonly OperatorRegistry Operators = new BlobOperators(hostDefault: null).AddTo(new OperatorRegistry().AddBuiltins());

    private static class TestWorkflows
    {
        public static Task<Language.Projects.WorkflowCheckResult> LoadAsync(string yaml) =>
            new WorkflowLoader(Operators).LoadTextAsync("wf.dig", yaml, CancellationToken.None);

        public static async Task<IReadOnlyList<string>> ErrorsAsync(string yaml)
        {
            var result = await LoadAsync(yaml);
            Assert.IsFalse(result.IsValid, "expected the workflow to be invalid");
            return result.Errors.Select(e => e.ToString()).ToList();
        }
    }

    [TestMethod]
    public async Task A_well_formed_wait_and_blob_tasks_check_clean()
    {
        var result = await TestWorkflows.LoadAsync("""
            +wait:
              blob_wait>: landing/daily/${session_date}.csv
              interval: 30
              timeout: 2h
              continue_on_timeout: true
              account_url: https://myaccount.blob.core.windows.net
            +move:
              blob>: move
              source: landing/daily/${session_date}.csv
              destination: archive/${session_date}.csv
            +delete:
              blob>: ${action}
              path: ${path}
            """);

        Assert.IsTrue(result.IsValid, string.Join("\n", result.Diagnostics));
    }

    [TestMethod]
    public async Task Blob_wait_reports_a_path_without_container_and_wrong_option_values()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +wait:
              blob_wait>: report.csv
              prefix: sometimes
              interval: soon
              account_url: myaccount
            """);

        Assert.HasCount(4, errors);
        Assert.StartsWith("wf.dig:2:15: blob_wait>: expected container/blob-name (e.g. reports/daily/2026-11-21.csv), got 'report.csv'", errors[0]);
        Assert.StartsWith("wf.dig:3:11: blob_wait> prefix: expected true or false, got 'sometimes'", errors[1]);
        Assert.StartsWith("wf.dig:4:13: blob_wait> interval: expected seconds (e.g. 30) or a duration such as 2m, got 'soon'", errors[2]);
        Assert.StartsWith("wf.dig:5:16: account_url: expected an account URL such as https://myaccount.blob.core.windows.net", errors[3]);
    }

    [TestMethod]
    public async Task Blob_reports_an_unknown_action_with_a_did_you_mean()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +tidy:
              blob>: cpy
              source: a/b
            """);

        Assert.HasCount(1, errors);
        Assert.StartsWith("wf.dig:2:10: blob>: expected copy, move, delete, got 'cpy'; did you mean 'copy'?", errors[0]);
    }

    [TestMethod]
    public async Task Blob_reports_missing_and_misplaced_paths_and_bad_container_names()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +copy:
              blob>: copy
              source: Reports/daily.csv
              path: reports/x.csv
            """);

        Assert.HasCount(3, errors);
        Assert.StartsWith("wf.dig:2:10: blob> copy needs 'destination: container/blob-name'", errors[0]);
        Assert.StartsWith("wf.dig:3:11: source: 'Reports' is not a container name", errors[1]);
        Assert.StartsWith("wf.dig:4:3: blob> copy takes source and destination, not 'path'", errors[2]);
    }
}
