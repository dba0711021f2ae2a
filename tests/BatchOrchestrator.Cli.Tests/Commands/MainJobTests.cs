using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Commands;

/// <summary>The README's first command, <c>bo run workflows/ad_report.dig</c>, as a user sees it.</summary>
[TestClass]
public sealed class MainJobTests
{
    [TestMethod]
    public async Task The_main_job_shows_its_flaky_source_retry_on_every_run_with_the_tasks_output()
    {
        using var project = new CliProject();
        project.CopyFrom(Path.Combine(RepositoryRoot.Folder, "workflows"), except: "output");
        foreach (var (run, attempt) in new[] { (new[] { "--session", "2026-11-21" }, "1"), (["--session", "2026-11-21", "--rerun"], "2") })
        {
            var result = await project.RunAsync("ad_report.dig", run);
            Assert.AreEqual(0, result.Exit, result.ToString());
            // Try 1 of the flaky platform fails, try 2 succeeds: the same on every run, no marker file.
            Assert.Contains("+ad_report+collect+meta_ads: GET https://api.meta_ads.example/v1/reports?date=2026-11-21 -> 503 Service Unavailable (simulated)", result.Output);
            Assert.Contains("+ad_report+collect+meta_ads: saved 22 campaigns of meta_ads", result.Output);
            Assert.Contains("+ad_report+report: 2026-11-21: ", result.Output);
            Assert.Contains("success: attempt ", result.Output);
            var tasks = await project.StateAsync("tasks", attempt);
            StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"\+meta_ads\s+success\s+2 "), tasks.ToString());
        }
    }
}
