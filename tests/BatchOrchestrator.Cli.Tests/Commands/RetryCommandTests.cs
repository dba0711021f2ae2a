using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Commands;

[TestClass]
public sealed class RetryCommandTests
{
    private const string Workflow = "+first:\n  sh>: echo first >> runs.txt\n+check:\n  sh>: echo \"check ${mode}\" >> runs.txt && test \"${mode}\" = fixed\n+last:\n  sh>: echo last >> runs.txt\n";

    [TestMethod]
    public async Task Retry_failed_after_fixing_the_cause_succeeds_reusing_what_succeeded()
    {
        using var project = new CliProject();
        project.Write("job.dig", Workflow);
        Assert.AreEqual(1, (await project.RunAsync("job.dig", "-p", "mode=broken", "-p", "keep=1")).Exit);

        var retry = await project.StateAsync("retry", "1", "--failed", "-p", "mode=fixed");
        Assert.AreEqual(0, retry.Exit, retry.ToString());
        Assert.Contains("reusing the tasks that succeeded", retry.Output);
        Assert.Contains(":retry-1", retry.Output);
        Assert.Contains("success: attempt", retry.Output);
        CollectionAssert.AreEqual(new[] { "first", "check broken", "check fixed", "last" }, project.Lines("runs.txt"));
        var attempts = await project.AttemptsAsync();
        Assert.HasCount(2, attempts);
        Assert.AreEqual("retry-1", attempts[1].RetryAttemptName);
        Assert.AreEqual(attempts[0].AttemptId, attempts[1].ResumedFrom);
        Assert.Contains("\"keep\":1", attempts[1].Params!.Value.GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal), "params are merged over the original's");
    }

    [TestMethod]
    public async Task Retry_all_runs_every_task_and_from_runs_from_a_task()
    {
        using var project = new CliProject();
        project.Write("job.dig", Workflow);
        Assert.AreEqual(0, (await project.RunAsync("job.dig", "-p", "mode=fixed")).Exit);

        var all = await project.StateAsync("retry", "1", "--all");
        Assert.AreEqual(0, all.Exit, all.ToString());
        Assert.AreEqual(2, project.Lines("runs.txt").Count(l => l == "first"));

        var from = await project.StateAsync("retry", "2", "--from", "+check");
        Assert.AreEqual(0, from.Exit, from.ToString());
        Assert.Contains("from +job+check", from.Output);
        Assert.AreEqual(2, project.Lines("runs.txt").Count(l => l == "first"), "tasks before --from are reused");
        Assert.AreEqual(3, project.Lines("runs.txt").Count(l => l == "last"));
    }

    [TestMethod]
    public async Task Retry_needs_exactly_one_mode()
    {
        using var project = new CliProject();
        var result = await project.StateAsync("retry", "1");
        Assert.AreEqual(1, result.Exit, result.ToString());
        Assert.Contains("choose one of --failed, --all or --from +task", result.Error);
    }
}
