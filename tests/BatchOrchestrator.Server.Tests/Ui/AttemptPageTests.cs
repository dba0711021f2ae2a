using BatchOrchestrator.Server.Tests.Support;
using Microsoft.Playwright;

namespace BatchOrchestrator.Server.Tests.Ui;

/// <summary>
/// The web UI end to end: a real server (its API, engine and local processes) driven through
/// Chromium as a user would: RUN a workflow, watch its attempt page fill in (task tree,
/// timeline, dependency graph, live log), RETRY FAILED, KILL.
/// </summary>
[TestClass]
public sealed class AttemptPageTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_opens_the_attempt_page_with_its_tree_timeline_graph_and_a_live_log()
    {
        // nightly.dig's schedule is yearly: the scheduler, which starts a new schedule from now, starts nothing during the test.
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["demo"] = new Dictionary<string, string>
            {
                ["report.dig"] = """
                    +collect:
                      _parallel: true
                      +google:
                        sh>: echo "google for ${greeting}"
                      +meta:
                        sh>: echo "meta waits"; while [ ! -f ../release ]; do sleep 0.05; done; echo "meta released"
                    +aggregate:
                      sh>: echo aggregated
                    """,
                ["nightly.dig"] = """
                    schedule:
                      cron>: 0 0 1 1 *
                    +step:
                      echo>: new year
                    """,
            },
        });
        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;

        await page.GotoAsync("/workflows");
        var nightly = page.Locator("tr[data-workflow=nightly]");
        await nightly.Locator("td", new() { HasTextString = "-01-01 00:00:00" }).WaitForAsync();
        StringAssert.Contains(await nightly.InnerTextAsync(), "cron '0 0 1 1 *' UTC", "the schedule, described");
        StringAssert.Contains(await page.Locator("tr[data-workflow=report]").InnerTextAsync(), "none", "no schedule");
        await page.Locator("tr[data-workflow=report] button[data-action=run]").ClickAsync();
        await page.Locator("dialog textarea[name=params]").FillAsync("""{"greeting": "the UI"}""");
        await page.Locator("dialog button[type=submit]").ClickAsync();
        await page.Locator("main[data-attempt-status]").WaitForAsync();

        // The running task's log follows as it writes: its first line now, the rest once released.
        await page.Locator("""tr.task-row[data-task="+report+collect+meta"][data-state=running]""").ClickAsync();
        await page.Locator("pre.log", new() { HasTextString = "meta waits" }).WaitForAsync();
        StringAssert.DoesNotMatch(await page.Locator("pre.log").InnerTextAsync(), new System.Text.RegularExpressions.Regex("released"));
        await File.WriteAllTextAsync(Path.Combine(server.ProjectsRoot, "release"), string.Empty);
        await page.Locator("pre.log", new() { HasTextString = "meta released" }).WaitForAsync();

        await page.Locator("main[data-attempt-status=success]").WaitForAsync();
        string[] tasks = ["+report", "+report+collect", "+report+collect+google", "+report+collect+meta", "+report+aggregate"];
        foreach (var task in tasks)
        {
            Assert.AreEqual("success", await page.Locator($"""tr.task-row[data-task="{task}"]""").GetAttributeAsync("data-state"), task);
            Assert.AreEqual(1, await page.Locator($"""svg.gantt .gantt-row[data-task="{task}"] rect.bar""").CountAsync(), $"a timeline bar for {task}");
            Assert.AreEqual("success", await page.Locator($"""svg.graph g.node[data-task="{task}"]""").GetAttributeAsync("data-state"), task);
        }

        // The graph draws the dependencies: aggregate waits for the parallel group, whose children wait for nobody.
        Assert.AreEqual(1, await page.Locator("svg.graph path.edge").CountAsync());
        await page.Locator("""svg.graph g.node[data-task="+report+collect+google"]""").ClickAsync();
        await page.Locator("pre.log", new() { HasTextString = "google for the UI" }).WaitForAsync();
        Assert.AreEqual("success", await page.Locator("h1 .state").InnerTextAsync());

        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        var file = Path.Combine(AppContext.BaseDirectory, "screenshots", "attempt-page.png");
        await File.WriteAllBytesAsync(file, png);
        TestContext.AddResultFile(file);
        var (width, height) = Png.Size(png);
        Assert.AreEqual(1400, width, "the viewport's width");
        Assert.IsGreaterThanOrEqualTo(1000, height, "the whole page, at least the viewport's height");
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }

    [TestMethod]
    public async Task Retry_failed_on_a_failed_attempt_opens_a_new_attempt_that_reuses_what_succeeded()
    {
        await using var server = await TestServer.StartAsync("demo", "flaky.dig", """
            +prepare:
              sh>: echo prepared >> ../prepare.txt
            +load:
              sh>: test -f ../fixed || { echo "the source is not ready" >&2; exit 3; }
            """);
        var failed = await server.StartAttemptAsync("demo", "flaky", "2026-11-01");
        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;

        await page.GotoAsync("/attempts/" + Uri.EscapeDataString(failed.Id));
        await page.Locator("main[data-attempt-status=error]").WaitForAsync();
        Assert.AreEqual("error", await page.Locator("""tr.task-row[data-task="+flaky+load"]""").GetAttributeAsync("data-state"));
        Assert.IsTrue(await page.Locator("button[data-action=kill]").IsDisabledAsync(), "a finished attempt cannot be killed");

        await File.WriteAllTextAsync(Path.Combine(server.ProjectsRoot, "fixed"), string.Empty);
        await page.Locator("button[data-action=retry-failed]").ClickAsync();
        await page.Locator("main[data-attempt-status=success]").WaitForAsync();

        var retried = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath["/attempts/".Length..]);
        Assert.AreNotEqual(failed.Id, retried, "the retry is a new attempt, and the page shows it");
        Assert.AreEqual("#2 (retry-1)", await page.Locator("dl.facts dd", new() { HasTextString = "retry-1" }).InnerTextAsync());
        Assert.AreEqual("success", await page.Locator("""tr.task-row[data-task="+flaky+load"]""").GetAttributeAsync("data-state"));
        Assert.HasCount(1, await File.ReadAllLinesAsync(Path.Combine(server.ProjectsRoot, "prepare.txt")), "+prepare had succeeded and is not run again");
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }

    [TestMethod]
    public async Task Kill_asks_for_confirmation_then_stops_a_long_running_attempt_and_the_page_shows_it_killed()
    {
        await using var server = await TestServer.StartAsync("demo", "slow.dig", """
            +wait:
              sh>: touch ../started; while [ ! -f ../never ]; do sleep 0.05; done
            """);
        var running = await server.StartAttemptAsync("demo", "slow", "2026-11-02");
        await TestServer.WaitForFileAsync(Path.Combine(server.ProjectsRoot, "started"));
        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;

        await page.GotoAsync("/attempts/" + Uri.EscapeDataString(running.Id));
        await page.Locator("""main[data-attempt-status=running] tr.task-row[data-task="+slow+wait"][data-state=running]""").WaitForAsync();
        Assert.IsTrue(await page.Locator("button[data-action=retry-failed]").IsDisabledAsync(), "a running attempt cannot be retried");

        // KILL asks first: Cancel leaves the attempt running.
        await page.Locator("button[data-action=kill]").ClickAsync();
        var question = page.Locator("dialog.confirm[open]");
        StringAssert.Contains(await question.InnerTextAsync(), "Kill slow #1?");
        await browser.ScreenshotAsync(TestContext, "kill-confirm");
        await question.Locator("button[data-answer=cancel]").ClickAsync();
        await question.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.AreEqual(BatchOrchestrator.Engine.Stores.AttemptStatus.Running, (await server.GetAsync<BatchOrchestrator.Api.AttemptView>("/api/attempts/" + Uri.EscapeDataString(running.Id))).Status, "Cancel kills nothing");

        await page.Locator("button[data-action=kill]").ClickAsync();
        await page.Locator("dialog.confirm[open] button[data-answer=confirm]").ClickAsync();
        await page.Locator("main[data-attempt-status=killed]").WaitForAsync();

        Assert.AreEqual("killed", await page.Locator("h1 .state").InnerTextAsync());
        Assert.AreEqual("canceled", await page.Locator("""tr.task-row[data-task="+slow+wait"]""").GetAttributeAsync("data-state"));
        Assert.IsTrue(await page.Locator("button[data-action=kill]").IsDisabledAsync());
        Assert.IsTrue(await page.Locator("button[data-action=retry-all]").IsEnabledAsync(), "a killed attempt can be run again");
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }
}
