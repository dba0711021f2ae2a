using System.Net;
using System.Net.Http.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Server.Tests.Support;
using Microsoft.Playwright;

namespace BatchOrchestrator.Server.Tests.Ui;

/// <summary>
/// The attempt page as a user reads it after retries: RUN on a session that was retried opens its
/// latest attempt, reused tasks say so, each try shows its own error whole, a task shows what it
/// stored, and every time says its zone.
/// </summary>
[TestClass]
public sealed class AttemptFixesTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_on_a_retried_session_opens_its_latest_attempt_with_reused_tasks_and_no_retry_failed()
    {
        await using var server = await TestServer.StartAsync("demo", "flaky.dig", """
            +prepare:
              sh>: echo prepared >> ../prepare.txt
            +load:
              sh>: test -f ../fixed || { echo "the source is not ready" >&2; exit 3; }
            """);
        var failed = await server.StartAttemptAsync("demo", "flaky", "2026-11-01");
        await server.WaitEndedAsync(failed.Id);
        await File.WriteAllTextAsync(Path.Combine(server.ProjectsRoot, "fixed"), string.Empty);
        using var retry = await server.PostJsonAsync($"/api/attempts/{Uri.EscapeDataString(failed.Id)}/retry", """{"mode":"failed"}""");
        Assert.AreEqual(HttpStatusCode.Created, retry.StatusCode, await retry.Content.ReadAsStringAsync());
        var retried = (await retry.Content.ReadFromJsonAsync<AttemptView>(TestServer.Json))!;
        await server.WaitEndedAsync(retried.Id);

        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;
        await page.GotoAsync("/workflows");
        await page.Locator("tr[data-workflow=flaky] button[data-action=run]").ClickAsync();
        await page.Locator("dialog input[name=sessionTime]").FillAsync("2026-11-01");
        await page.Locator("dialog button[type=submit]").ClickAsync();
        await page.Locator("main[data-attempt-status=success]").WaitForAsync();

        Assert.AreEqual("/attempts/" + Uri.EscapeDataString(retried.Id), new Uri(page.Url).AbsolutePath, "the session's latest attempt, #2, not the failed #1");
        StringAssert.Contains(await page.Locator("#notice").InnerTextAsync(), "latest attempt, #2 (success)");
        Assert.IsTrue(await page.Locator("button[data-action=retry-failed]").IsDisabledAsync(), "nothing failed in the latest attempt");
        var prepare = page.Locator("""tr.task-row[data-task="+flaky+prepare"]""");
        Assert.AreEqual("true", await prepare.GetAttributeAsync("data-reused"));
        Assert.AreEqual("reused", await prepare.Locator(".state").InnerTextAsync());
        Assert.AreEqual("success", await page.Locator("""tr.task-row[data-task="+flaky+load"] .state""").InnerTextAsync(), "run by this attempt");
        await browser.ScreenshotAsync(TestContext, "attempt-reused");

        // The failed #1 points at its newer attempt and offers no RETRY FAILED: #2 did that already.
        await page.GotoAsync("/attempts/" + Uri.EscapeDataString(failed.Id));
        await page.Locator("main[data-attempt-status=error] .newer-attempt").WaitForAsync();
        StringAssert.Contains(await page.Locator(".newer-attempt").InnerTextAsync(), "#2 (retry-1)");
        Assert.IsTrue(await page.Locator("button[data-action=retry-failed]").IsDisabledAsync());

        // The only failed request is RUN's start, which the server answers 409 with the session's attempt (as the API documents).
        Assert.IsTrue(browser.Errors.All(e => e.Contains("409", StringComparison.Ordinal)), string.Join("\n", browser.Errors));
    }

    [TestMethod]
    public async Task Each_try_shows_its_own_error_whole_and_times_carry_the_workflows_offset()
    {
        await using var server = await TestServer.StartAsync("demo", "tokyo.dig", """
            timezone: Asia/Tokyo
            +count:
              sh>: echo rows=42 >> "$BO_OUTPUT"; echo region=apac >> "$BO_OUTPUT"
            +load:
              _retry: 1
              sh>: n=$(cat ../tries 2>/dev/null || echo 0); n=$((n+1)); echo $n > ../tries; echo "loading part $n"; echo "boom on try $n, with a long line that would not fit in a narrow column of the task table at all"; exit 1
            """);
        var attempt = await server.StartAttemptAsync("demo", "tokyo", "2026-11-01");
        await server.WaitEndedAsync(attempt.Id);

        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;
        await page.GotoAsync("/attempts/" + Uri.EscapeDataString(attempt.Id));
        await page.Locator("main[data-attempt-status=error]").WaitForAsync();

        // The error cell: whole (the last lines of output too), not prefixed with the task's name, and wrapped inside the panel.
        var cell = page.Locator("""tr.task-row[data-task="+tokyo+load"] td.error-text""");
        var error = await cell.InnerTextAsync();
        StringAssert.StartsWith(error, "Command failed with exit code 1. Last lines of output:");
        StringAssert.Contains(error, "boom on try 2, with a long line that would not fit in a narrow column of the task table at all");
        Assert.IsTrue(await cell.EvaluateAsync<bool>("c => c.scrollWidth <= c.clientWidth && c.getBoundingClientRect().right <= document.querySelector('#tasks').getBoundingClientRect().right"), "not cut at the panel's edge");

        // Each try's tab shows that try's log and error.
        await page.Locator("""tr.task-row[data-task="+tokyo+load"]""").ClickAsync();
        await page.Locator("pre.log", new() { HasTextString = "boom on try 2" }).WaitForAsync();
        StringAssert.StartsWith(await page.Locator(".log-error").InnerTextAsync(), "Try 2 failed: Command failed");
        await page.Locator(".tries button[data-try='1']").ClickAsync();
        await page.Locator("pre.log", new() { HasTextString = "boom on try 1" }).WaitForAsync();
        var first = await page.Locator(".log-error").InnerTextAsync();
        StringAssert.StartsWith(first, "Try 1 failed");
        Assert.DoesNotContain("try 2", first, "try 1's tab does not show try 2's error");
        Assert.DoesNotContain("try 2", await page.Locator("pre.log").InnerTextAsync());
        await browser.ScreenshotAsync(TestContext, "attempt-try1");

        // What a task stored for the next ones.
        await page.Locator("""tr.task-row[data-task="+tokyo+count"]""").ClickAsync();
        var stored = page.Locator(".task-values details[data-values=store] pre");
        await stored.WaitForAsync();
        StringAssert.Contains(await stored.InnerTextAsync(), "\"rows\": ");
        StringAssert.Contains(await stored.InnerTextAsync(), "\"region\": \"apac\"");

        // The browser runs in UTC; the page speaks Tokyo time and says so.
        StringAssert.EndsWith((await page.Locator("dl.facts dd time").First.InnerTextAsync()).Trim(), "+09:00");
        StringAssert.Contains(await page.Locator("#tasks th", new() { HasTextString = "Started" }).InnerTextAsync(), "(+09:00)");
        await browser.ScreenshotAsync(TestContext, "attempt-tries");
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }
}
