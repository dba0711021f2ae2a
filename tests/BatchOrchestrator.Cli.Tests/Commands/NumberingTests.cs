using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Commands;

/// <summary>One numbering everywhere: tries from 1 (<c>try 1</c> is <c>task.try1.log</c>), attempts by the number <c>bo attempts</c> lists.</summary>
[TestClass]
public sealed class NumberingTests
{
    [TestMethod]
    public async Task The_first_try_is_try_1_in_the_output_the_log_header_and_the_log_file()
    {
        using var project = new CliProject();
        project.Write("retried.dig", "+twice:\n  _retry: 1\n  sh>: echo \"attempting\" && test -f second || (touch second && exit 2)\n");
        var result = await project.RunAsync("retried.dig");
        Assert.AreEqual(0, result.Exit, result.ToString());
        Assert.AreEqual(2, result.OutputLines.Count(l => l == "+retried+twice: attempting"), result.Output);
        var tasks = await project.StateAsync("tasks", "1");
        StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"└─ \+twice\s+success\s+2 "));

        var files = project.TryLogs("+retried+twice").Select(Path.GetFileName).ToList();
        CollectionAssert.AreEqual(new[] { "+retried+twice.try1.log", "+retried+twice.try2.log" }, files);

        var log = await project.StateAsync("log", "1");
        Assert.AreEqual(0, log.Exit, log.ToString());
        Assert.Contains("--- +retried+twice (try 1) ---", log.Output);
        Assert.Contains("--- +retried+twice (try 2) ---", log.Output);
        Assert.DoesNotContain("(try 0)", log.Output);
    }

    [TestMethod]
    public async Task A_group_retry_gives_each_try_of_its_tasks_a_log_of_its_own()
    {
        using var project = new CliProject();
        project.Write("group.dig", "+load:\n  _retry: 1\n  +step:\n    sh>: echo \"step ran\" >> runs.txt && echo 'step says hi' && test -f ok || (touch ok && exit 2)\n");
        var result = await project.RunAsync("group.dig");
        Assert.AreEqual(0, result.Exit, result.ToString());
        Assert.HasCount(2, project.Lines("runs.txt"));
        var logs = project.TryLogs("+group+load+step");
        CollectionAssert.AreEqual(new[] { "+group+load+step.try1.log", "+group+load+step.try2.log" }, logs.Select(Path.GetFileName).ToList());
        foreach (var file in logs)
        {
            Assert.AreEqual(1, File.ReadAllLines(file).Count(l => l.Contains("step says hi", StringComparison.Ordinal)), file);
        }
    }

    [TestMethod]
    public async Task An_attempt_is_found_by_the_number_bo_attempts_lists_and_its_log_read_after_it_ended()
    {
        using var project = new CliProject();
        project.Write("hello.dig", "+say:\n  sh>: echo hello from say\n");
        Assert.AreEqual(0, (await project.RunAsync("hello.dig", "--session", "2026-11-21")).Exit);
        Assert.AreEqual(0, (await project.RunAsync("hello.dig", "--session", "2026-11-21", "--rerun")).Exit);
        // An older session run afterwards: the numbers still mean the session run last.
        Assert.AreEqual(0, (await project.RunAsync("hello.dig", "--session", "2026-11-01")).Exit);
        Assert.AreEqual(0, (await project.RunAsync("hello.dig", "--session", "2026-11-01", "--rerun")).Exit);

        var attempts = await project.StateAsync("attempts");
        Assert.Contains("#2 rerun-1", attempts.Output);
        var tasks = await project.StateAsync("tasks", "2");
        Assert.AreEqual(0, tasks.Exit, tasks.ToString());
        Assert.Contains($"attempt bo:{project.Name}:hello:2026-11-01T00:00:00Z:rerun-1 (#2 rerun-1): success", tasks.Output);

        foreach (var attempt in new[] { "1", "2" })
        {
            var log = await project.StateAsync("log", attempt);
            Assert.AreEqual(0, log.Exit, log.ToString());
            Assert.Contains("--- +hello+say (try 1) ---", log.Output);
            Assert.Contains("hello from say", log.Output);
        }
    }

    [TestMethod]
    public async Task Retry_failed_on_a_succeeded_attempt_says_there_is_nothing_to_retry_and_starts_none()
    {
        using var project = new CliProject();
        project.Write("hello.dig", "+say:\n  sh>: echo hi\n");
        Assert.AreEqual(0, (await project.RunAsync("hello.dig")).Exit);
        var retry = await project.StateAsync("retry", "1", "--failed");
        Assert.AreEqual(0, retry.Exit, retry.ToString());
        Assert.Contains("succeeded: no task failed, nothing to retry", retry.Output);
        var attempts = await project.StateAsync("attempts");
        Assert.DoesNotContain("#2", attempts.Output);
    }
}
