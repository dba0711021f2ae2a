using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Commands;

/// <summary><c>bo schedules</c> and <c>bo backfill</c> in local mode.</summary>
[TestClass]
public sealed class ScheduleCommandsTests
{
    // Sessions in early 2026 are in the past whenever the tests run; a start in 2099 makes the next one fixed.
    private const string Daily = """
        timezone: Asia/Tokyo
        schedule:
          daily>: 07:00:00
        +t:
          sh>: echo "${session_date} ${retry_attempt_name}" >> runs.txt
        """;

    [TestMethod]
    public async Task Schedules_lists_each_scheduled_workflow_with_its_next_session_and_run_time()
    {
        using var project = new CliProject();
        project.Write("later.dig", "timezone: Asia/Tokyo\nschedule:\n  daily>: 07:00:00\n  start: 2099-01-01\n+t:\n  echo>: hi\n");
        project.Write("plain.dig", "+t:\n  echo>: hi\n");

        var result = await project.StateAsync("schedules");

        Assert.AreEqual(0, result.Exit, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(2, lines, result.Output);
        StringAssert.Matches(lines[1], new System.Text.RegularExpressions.Regex(
            @"^later\s+enabled\s+2099-01-01 00:00:00 \+09:00\s+2099-01-01 07:00:00 \+09:00\s+-\s+daily at 07:00:00 Asia/Tokyo, from 2099-01-01$"));
    }

    [TestMethod]
    public async Task Backfill_runs_the_sessions_in_order_and_the_same_backfill_again_runs_nothing()
    {
        using var project = new CliProject();
        project.Write("daily.dig", Daily);

        var dryRun = await project.StateAsync("backfill", "daily", "--from", "2026-01-01", "--count", "3", "--dry-run");
        var first = await project.StateAsync("backfill", "daily.dig", "--from", "2026-01-01", "--count", "3");
        var again = await project.StateAsync("backfill", "daily", "--from", "2026-01-01", "--count", "3");
        var renamed = await project.StateAsync("backfill", "daily", "--from", "2026-01-02", "--count", "1", "--name", "redo");

        Assert.AreEqual(0, dryRun.Exit, dryRun.ToString());
        Assert.Contains("2026-01-03 00:00:00 +09:00", dryRun.Output);
        Assert.AreEqual(0, first.Exit, first.ToString());
        Assert.Contains("backfill backfill-20260101T000000-3 finished: 3 sessions succeeded", first.Output);
        Assert.AreEqual(0, again.Exit, again.ToString());
        Assert.Contains("already ran", again.Output);
        Assert.AreEqual(0, renamed.Exit, renamed.ToString());
        CollectionAssert.AreEqual(
            new[] { "2026-01-01 backfill-20260101T000000-3", "2026-01-02 backfill-20260101T000000-3", "2026-01-03 backfill-20260101T000000-3", "2026-01-02 redo" },
            project.Lines("runs.txt"));
    }

    [TestMethod]
    public async Task Backfill_of_an_unscheduled_or_misspelled_workflow_says_what_is_wrong()
    {
        using var project = new CliProject();
        project.Write("daily.dig", Daily);
        project.Write("plain.dig", "+t:\n  echo>: hi\n");

        var typo = await project.StateAsync("backfill", "dayly", "--from", "2026-01-01");
        var plain = await project.StateAsync("backfill", "plain", "--from", "2026-01-01");
        var badTime = await project.StateAsync("backfill", "daily", "--from", "Jan 1");

        Assert.AreEqual(2, typo.Exit);
        Assert.Contains("did you mean 'daily'?", typo.Error);
        Assert.AreEqual(2, plain.Exit);
        Assert.Contains("has no schedule", plain.Error);
        Assert.AreEqual(2, badTime.Exit);
        Assert.Contains("expected YYYY-MM-DD", badTime.Error);
        Assert.IsFalse(project.Exists("runs.txt"));
    }
}
