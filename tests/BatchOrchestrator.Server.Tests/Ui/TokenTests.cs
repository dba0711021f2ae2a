using BatchOrchestrator.Server.Tests.Support;
using Microsoft.Playwright;

namespace BatchOrchestrator.Server.Tests.Ui;

/// <summary>
/// A server that wants a token (bo server beyond loopback; on Azure, the Functions app's key):
/// the UI asks for it once per tab and sends it with every API call, in the header each host checks.
/// </summary>
[TestClass]
public sealed class TokenTests
{
    private const string Token = "a-token-for-the-ui";

    [TestMethod]
    public async Task The_ui_asks_for_the_token_then_shows_the_workflows_and_sends_it_to_both_kinds_of_host()
    {
        await using var server = await TestServer.StartAsync("demo", "daily.dig", "+step:\n  echo>: hi\n", token: Token);
        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;
        var apiCalls = new List<IRequest>();
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath.StartsWith("/api/", StringComparison.Ordinal))
            {
                lock (apiCalls)
                {
                    apiCalls.Add(request);
                }
            }
        };

        await page.GotoAsync("/workflows");
        var form = page.Locator("form.token-form");
        await form.WaitForAsync();
        StringAssert.Contains(await form.InnerTextAsync(), "API token");
        Assert.IsFalse(await page.Locator("a", new() { HasTextString = "daily" }).IsVisibleAsync(), "no workflow is shown before the token");

        await form.Locator("input[name=token]").FillAsync(Token);
        await form.Locator("button").ClickAsync();
        await page.Locator("a", new() { HasTextString = "daily" }).First.WaitForAsync();

        IRequest[] afterToken;
        lock (apiCalls)
        {
            afterToken = [.. apiCalls.Where(r => r.Headers.ContainsKey("authorization"))];
        }

        Assert.IsNotEmpty(afterToken, "the workflows page called the API with the token");
        foreach (var request in afterToken)
        {
            Assert.AreEqual($"Bearer {Token}", request.Headers["authorization"], request.Url);
            Assert.AreEqual(Token, request.Headers["x-functions-key"], $"{request.Url}: the Functions app reads its key from x-functions-key");
        }

        // The first call's 401 (and the browser's console line about it) is what brings up the form.
        var unexpected = browser.Errors.Where(e => !e.Contains("401", StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(unexpected, string.Join("\n", unexpected));
    }
}
