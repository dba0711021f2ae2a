using BatchOrchestrator.Api;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Ui;

/// <summary>The UI's lists against a real server: attempts by status and page by page, sessions, and the nav.</summary>
[TestClass]
public sealed class ListPagesTests
{
    public TestContext TestContext { get; set; } = null!;

    private const string Workflow = """
        +step:
          sh>: test "${outcome}" = ok
        """;

    [TestMethod]
    public async Task Attempts_filter_by_status_and_page_newest_first()
    {
        await using var server = await TestServer.StartAsync("demo", "daily.dig", Workflow);
        var ids = new List<string>();
        foreach (var (day, outcome) in new[] { ("2026-11-01", "ok"), ("2026-11-02", "bad"), ("2026-11-03", "ok") })
        {
            var attempt = await server.StartAttemptAsync("demo", "daily", day, $$"""{"outcome":"{{outcome}}"}""");
            await server.WaitEndedAsync(attempt.Id);
            ids.Add(attempt.Id);
        }

        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;
        await page.GotoAsync("/attempts?pageSize=2");
        var rows = page.Locator("tr[data-attempt]");
        await rows.First.WaitForAsync();
        CollectionAssert.AreEqual(new[] { ids[2], ids[1] }, await AttemptIdsAsync(rows), "newest first, two per page");

        await page.Locator("button", new() { HasTextString = "Older" }).ClickAsync();
        await page.Locator($"""tr[data-attempt="{ids[0]}"]""").WaitForAsync();
        CollectionAssert.AreEqual(new[] { ids[0] }, await AttemptIdsAsync(rows));
        Assert.IsTrue(await page.Locator("button", new() { HasTextString = "Older" }).IsDisabledAsync(), "the last page");

        await page.Locator("button", new() { HasTextString = "Newer" }).ClickAsync();
        await page.Locator($"""tr[data-attempt="{ids[2]}"]""").WaitForAsync();
        CollectionAssert.AreEqual(new[] { ids[2], ids[1] }, await AttemptIdsAsync(rows));

        await page.Locator("form.filter-form select[name=status]").SelectOptionAsync("error");
        await page.Locator("form.filter-form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/attempts?*status=error*");
        await page.Locator("tr[data-attempt][data-status=error]").WaitForAsync();
        CollectionAssert.AreEqual(new[] { ids[1] }, await AttemptIdsAsync(rows), "only the failed attempt");

        await page.Locator($"""tr[data-attempt="{ids[1]}"] a""").First.ClickAsync();
        await page.Locator("main[data-attempt-status=error]").WaitForAsync();
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }

    [TestMethod]
    public async Task Sessions_list_their_latest_attempt_and_a_session_lists_all_of_them()
    {
        await using var server = await TestServer.StartAsync("demo", "daily.dig", Workflow);
        var first = await server.StartAttemptAsync("demo", "daily", "2026-11-05", """{"outcome":"bad"}""");
        await server.WaitEndedAsync(first.Id);

        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;
        await page.GotoAsync("/sessions");
        var session = page.Locator($"""tr[data-session="{first.SessionId}"]""");
        await session.Locator(".state", new() { HasTextString = "error" }).WaitForAsync();

        await session.Locator("a").First.ClickAsync();
        await page.Locator($"""tr[data-attempt="{first.Id}"]""").WaitForAsync();
        Assert.AreEqual("/sessions/" + Uri.EscapeDataString(first.SessionId), new Uri(page.Url).AbsolutePath);
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }

    [TestMethod]
    public async Task Sessions_and_attempts_filter_by_dates_state_and_text_and_keep_the_filter_in_the_address()
    {
        await using var server = await TestServer.StartAsync("demo", "daily.dig", Workflow);
        var ids = await server.RunOneByOneAsync("demo", "daily", new[] { ("2026-11-01", "ok"), ("2026-11-02", "bad"), ("2026-11-03", "ok"), ("2026-11-04", "bad") }.Select(Outcome));

        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;
        await page.GotoAsync("/sessions");
        await page.Locator("tr[data-session]").First.WaitForAsync();
        Assert.AreEqual(4, await page.Locator("tr[data-session]").CountAsync());

        await page.Locator("form.filter-form input[name=from]").FillAsync("2026-11-02");
        await page.Locator("form.filter-form input[name=to]").FillAsync("2026-11-04");
        await page.Locator("form.filter-form select[name=status]").SelectOptionAsync("error");
        await page.Locator("form.filter-form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/sessions?from=2026-11-02&to=2026-11-04&status=error");
        await page.Locator($"""tr[data-session="{ids[1].SessionId}"]""").WaitForAsync();
        CollectionAssert.AreEquivalent(new[] { ids[3].SessionId, ids[1].SessionId }, await IdsAsync(page.Locator("tr[data-session]"), "data-session"));
        await browser.ScreenshotAsync(TestContext, "sessions-filtered");

        // The text filter on the attempts: found in the params; the filter lives in the address.
        await page.GotoAsync("/attempts");
        await page.Locator("form.filter-form input[name=q]").FillAsync("\"ok\"");
        await page.Locator("form.filter-form input[name=q]").PressAsync("Enter");
        await page.WaitForURLAsync("**/attempts?q=*");
        await page.Locator($"""tr[data-attempt="{ids[0].Id}"]""").WaitForAsync();
        CollectionAssert.AreEqual(new[] { ids[2].Id, ids[0].Id }, await IdsAsync(page.Locator("tr[data-attempt]"), "data-attempt"));
        await page.ReloadAsync();
        await page.Locator($"""tr[data-attempt="{ids[0].Id}"]""").WaitForAsync();
        Assert.AreEqual("\"ok\"", await page.Locator("form.filter-form input[name=q]").InputValueAsync());
        await page.Locator("form.filter-form button[data-action=clear]").ClickAsync();
        await page.WaitForURLAsync("**/attempts");
        await page.Locator($"""tr[data-attempt="{ids[3].Id}"]""").WaitForAsync();
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }

    private static (string, string?) Outcome((string Day, string Outcome) run) => (run.Day, $$"""{"outcome":"{{run.Outcome}}"}""");

    private static async Task<string[]> IdsAsync(Microsoft.Playwright.ILocator rows, string attribute)
    {
        var count = await rows.CountAsync();
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await rows.Nth(i).GetAttributeAsync(attribute) ?? "";
        }

        return ids;
    }

    private static Task<string[]> AttemptIdsAsync(Microsoft.Playwright.ILocator rows) => IdsAsync(rows, "data-attempt");
}
