using System.Globalization;
using BatchOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace BatchOrchestrator.Server.Tests.Ui;

/// <summary>
/// A workflow's own page against a real server: the history grid (sessions × tasks, like
/// Airflow's), its definition and the project's files, and the schedule's buttons.
/// </summary>
[TestClass]
public sealed class WorkflowPageTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>A scheduled workflow, its sessions in the workflow's zone.</summary>
    private const string Nightly = """
        timezone: Asia/Tokyo
        schedule:
          daily>: 07:00:00
        +step:
          echo>: nightly ${session_date}
        """;

    /// <summary>
    /// The server's clock in the schedule tests, fixed (it does not move, so the scheduler never ticks):
    /// 21:00 in Tokyo, so the next session is the next day's, whenever the test runs.
    /// </summary>
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The nightly workflow's next session at <see cref="Now"/>.</summary>
    private static readonly DateTimeOffset NextSession = new(2026, 12, 2, 0, 0, 0, TimeSpan.FromHours(9));

    [TestMethod]
    public async Task History_grid_colours_each_sessions_tasks_and_links_to_the_tasks_log_beside_the_definition_and_files()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["demo"] = new Dictionary<string, string>
            {
                ["daily.dig"] = """
                    +extract:
                      echo>: extracting ${session_date}
                    +check:
                      sh>: echo "checking ${outcome}"; test "${outcome}" = ok
                    """,
                ["lib/common.dig"] = """
                    +shared:
                      echo>: a part other workflows include
                    """,
            },
        });
        var sessions = await server.RunOneByOneAsync("demo", "daily", new[] { "ok", "bad", "ok" }.Select((outcome, i) => ($"2026-11-0{i + 1}", (string?)$$"""{"outcome":"{{outcome}}"}""")));

        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;
        await page.GotoAsync("/workflows");
        StringAssert.Contains(await page.Locator("tr[data-workflow=daily] td.last-session").InnerTextAsync(), "2026-11-03", "the newest session");
        await page.Locator("tr[data-workflow=daily] a", new() { HasTextString = "daily" }).ClickAsync();
        await page.Locator("main[data-workflow-loaded]").WaitForAsync();
        Assert.AreEqual("/workflows/demo/daily", new Uri(page.Url).AbsolutePath);

        // One column per session, oldest left; one row per task; each cell the task's state there.
        Assert.AreEqual(3, await page.Locator("table.history th.session-head").CountAsync());
        CollectionAssert.AreEqual(new[] { "success", "error", "success" }, await StatesAsync(page, "+daily+check"));
        CollectionAssert.AreEqual(new[] { "success", "success", "success" }, await StatesAsync(page, "+daily+extract"));
        Assert.IsTrue(await page.Locator("#schedule [data-schedule=none]").IsVisibleAsync(), "no schedule, and the page says so");

        // The definition is the workflow's file; the project's other files are one click away.
        StringAssert.Contains(await page.Locator("pre.source[data-file='daily.dig']").InnerTextAsync(), "sh>: echo \"checking ${outcome}\"");
        await browser.ScreenshotAsync(TestContext, "workflow-page");
        await page.Locator(".file-list a[data-file='lib/common.dig']").ClickAsync();
        await page.Locator("pre.source[data-file='lib/common.dig']", new() { HasTextString = "a part other workflows include" }).WaitForAsync();

        // A cell opens that attempt with that task's log.
        await page.GotoAsync("/workflows/demo/daily");
        await page.Locator($"""a.box[data-task="+daily+check"][data-session="{sessions[1].SessionId}"]""").ClickAsync();
        await page.Locator("pre.log", new() { HasTextString = "checking bad" }).WaitForAsync();
        Assert.AreEqual("/attempts/" + Uri.EscapeDataString(sessions[1].Id), new Uri(page.Url).AbsolutePath);
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }

    [TestMethod]
    public async Task Schedule_buttons_disable_enable_skip_and_backfill()
    {
        await using var server = await TestServer.StartAsync("demo", "nightly.dig", Nightly, clock: new FakeTimeProvider(Now));
        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;
        await OpenNightlyAsync(page);

        await page.Locator("button[data-action=disable]").ClickAsync();
        await page.Locator(".schedule[data-enabled=false]").WaitForAsync();
        Assert.IsFalse((await server.GetAsync<System.Text.Json.JsonElement>("/api/schedules/demo/nightly")).GetProperty("enabled").GetBoolean());
        await page.Locator("button[data-action=enable]").ClickAsync();
        await page.Locator(".schedule[data-enabled=true]").WaitForAsync();

        // SKIP the next session: the next one is a day later.
        var next = await page.Locator("dd[data-field=next]").InnerTextAsync();
        StringAssert.EndsWith(next, "+09:00", "session times in the workflow's zone");
        Assert.AreEqual(NextSession, DateTimeOffset.Parse(next, CultureInfo.InvariantCulture));
        await page.Locator("button[data-action=skip]").ClickAsync();
        await page.Locator("dialog input[name=count]").FillAsync("1");
        await page.Locator("dialog button[type=submit][value=submit]").ClickAsync();
        await page.Locator("#notice", new() { HasTextString = "Skipped" }).WaitForAsync();
        var skipped = DateTimeOffset.Parse(await page.Locator("dd[data-field=next]").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.AreEqual(NextSession.AddDays(1), skipped);

        // BACKFILL: previewed, then started.
        await page.Locator("button[data-action=backfill]").ClickAsync();
        await page.Locator("dialog input[name=from]").FillAsync("2026-11-01");
        await page.Locator("dialog input[name=count]").FillAsync("2");
        await page.Locator("dialog input[name=name]").FillAsync("november");
        await page.Locator("dialog button[data-action=preview]").ClickAsync();
        await page.Locator(".backfill-preview li", new() { HasTextString = "2026-11-02 00:00:00+09:00" }).WaitForAsync();
        Assert.AreEqual(2, await page.Locator(".backfill-preview li").CountAsync());
        await browser.ScreenshotAsync(TestContext, "workflow-backfill");
        await page.Locator("dialog button[type=submit][value=submit]").ClickAsync();
        await page.Locator("#notice", new() { HasTextString = "Backfill november started: 2 sessions" }).WaitForAsync();

        // The server holds it: the same name again is refused with the backfill (its sessions start on the scheduler's minute ticks, not awaited here).
        using var again = await server.PostJsonAsync("/api/schedules/demo/nightly/backfill", """{"from":"2026-11-01","count":2,"name":"november"}""");
        Assert.AreEqual(System.Net.HttpStatusCode.Conflict, again.StatusCode);
        var existing = System.Text.Json.JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("backfill");
        Assert.AreEqual(2, existing.GetProperty("sessionTimes").GetArrayLength());
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }

    [TestMethod]
    public async Task A_schedule_actions_notice_shows_only_once_the_schedule_shows_its_result()
    {
        await using var server = await TestServer.StartAsync("demo", "nightly.dig", Nightly, clock: new FakeTimeProvider(Now));
        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;
        await OpenNightlyAsync(page);
        var next = DateTimeOffset.Parse(await page.Locator("dd[data-field=next]").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.AreEqual(NextSession, next);

        // The page's re-read of the schedule after SKIP is held until the test lets it through.
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/api/schedules/demo/nightly", async route =>
        {
            reading.TrySetResult();
            await release.Task;
            await route.ContinueAsync();
        });
        await page.Locator("button[data-action=skip]").ClickAsync();
        await page.Locator("dialog input[name=count]").FillAsync("1");
        await page.Locator("dialog button[type=submit][value=submit]").ClickAsync();
        await reading.Task.WaitAsync(TimeSpan.FromMinutes(1), TestContext.CancellationToken);

        // The server has skipped; the page still shows the old next session, so it says nothing yet.
        Assert.IsFalse(await page.Locator("#notice", new() { HasTextString = "Skipped" }).IsVisibleAsync(), "no notice beside the skipped session");
        release.SetResult();
        await page.Locator("#notice", new() { HasTextString = "Skipped" }).WaitForAsync();
        var shown = DateTimeOffset.Parse(await page.Locator("dd[data-field=next]").InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.AreEqual(next.AddDays(1), shown, "with the notice, the schedule shows the session after the skipped one");
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }

    /// <summary>The nightly workflow's page, once its schedule is shown (enabled).</summary>
    private static async Task OpenNightlyAsync(IPage page)
    {
        await page.GotoAsync("/workflows/demo/nightly");
        await page.Locator("main[data-workflow-loaded] .schedule[data-enabled=true]").WaitForAsync();
    }

    private static async Task<string[]> StatesAsync(IPage page, string task)
    {
        var cells = page.Locator($"""table.history tr[data-task="{task}"] td.cell""");
        var count = await cells.CountAsync();
        var states = new string[count];
        for (var i = 0; i < count; i++)
        {
            states[i] = await cells.Nth(i).Locator(".box").GetAttributeAsync("data-state") ?? "none";
        }

        return states;
    }
}
