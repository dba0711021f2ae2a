using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Engine.Tests.MainJob;

/// <summary>The README's main job, <c>workflows/ad_report.dig</c>, run end to end as shipped.</summary>
[TestClass]
public sealed class AdReportTests
{
    internal static string WorkflowsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BatchOrchestrator.sln")))
            {
                return Path.Combine(dir.FullName, "workflows");
            }
        }

        throw new AssertFailedException("repository root not found");
    }

    [TestMethod]
    public async Task The_daily_ad_report_collects_retries_the_flaky_source_aggregates_and_loads()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.CopyFrom(WorkflowsFolder(), except: "output");

        var run = await project.RunAsync("ad_report");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(2, run.Task("+ad_report+collect+meta_ads").Tries, "the flaky source answers 503 once, then the retry succeeds");
        Assert.AreEqual(1, run.Task("+ad_report+collect+google_ads").Tries);
        Assert.AreEqual(TaskState.Success, run.Task("+ad_report+load").State);

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(project.Directory_, "output", "ad_report.sqlite")}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT platform, campaigns FROM daily_platform_stats WHERE date = '2026-11-21' ORDER BY platform";
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add($"{reader.GetString(0)}:{reader.GetInt64(1)}");
            }
        }

        CollectionAssert.AreEqual(new[] { "google_ads:35", "meta_ads:22", "tiktok_ads:9" }, rows);
        StringAssert.StartsWith(await project.LogAsync(run, "+ad_report+report"), "2026-11-21: ");
    }

    [TestMethod]
    public async Task A_failure_is_notified_with_the_error_message_whatever_characters_it_holds()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.CopyFrom(WorkflowsFolder(), except: "output");
        // A report that is not numbers: the aggregation's int() fails with a message full of quotes and parentheses.
        project.Write("output/20261121/partner.csv", "date,platform,campaign,impressions,clicks\n2026-11-21,partner,c-1,n/a,0\n");

        var run = await project.RunAsync("ad_report");

        Assert.IsFalse(run.Succeeded);
        const string Message = "ValueError: invalid literal for int() with base 10: 'n/a'";
        Assert.AreEqual(Message, run.Task("+ad_report+aggregate").Error);
        Assert.AreEqual(TaskState.Success, run.Task("+ad_report^error+notify").State, run.Describe());
        Assert.AreEqual($"[ad_report] 2026-11-21 failed — {Message}\n", project.Read("output/notifications.log"));
    }
}
