using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Ui;

/// <summary>The UI's shell in a real browser: every module loads and runs, and the router answers any path.</summary>
[TestClass]
public sealed class ShellTests
{
    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> NoProjects = [];

    [TestMethod]
    public async Task Every_module_loads_without_a_script_error_and_unknown_pages_say_so()
    {
        await using var server = await TestServer.StartAsync(NoProjects);
        await using var browser = await UiBrowser.OpenAsync(server.Client.BaseAddress!);
        var page = browser.Page;

        // A path no page has: the router (and so every module it imports) ran, without calling the API.
        await page.GotoAsync("/no-such-page");
        await page.Locator(".error-box", new() { HasTextString = "No such page" }).WaitForAsync();

        Assert.AreEqual("BatchOrchestrator", await page.TitleAsync());
        var nav = await page.Locator("nav.nav a").AllInnerTextsAsync();
        CollectionAssert.AreEqual(new[] { "Workflows", "Sessions", "Attempts" }, nav.ToArray());
        Assert.IsEmpty(browser.Errors, string.Join("\n", browser.Errors));
    }
}
