using Microsoft.Playwright;

namespace BatchOrchestrator.Server.Tests.Ui;

/// <summary>
/// Debian's Chromium driven by Playwright (tests/setup/chromium.sh installs it; tests/run.sh
/// calls that first). One browser per test, with every console error and uncaught page error
/// collected, so a test can say "the page loaded without a script error".
/// </summary>
internal sealed class UiBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Generous: a guard against hanging, never a synchronisation.</summary>
    public const float TimeoutMs = 30_000;

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _errors = [];

    private UiBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text}");
                }
            }
        };
        page.Response += (_, response) =>
        {
            // The console says only "404"; this says which request.
            if (response.Status >= 400)
            {
                lock (_errors)
                {
                    _errors.Add($"HTTP {response.Status} {response.Request.Method} {response.Url}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"page error: {error}");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions seen so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public static async Task<UiBrowser> OpenAsync(Uri baseAddress)
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"{ChromiumPath} is missing: run tests/setup/chromium.sh (tests/run.sh does) to install Debian's chromium.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = TimeoutMs,
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = baseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
                TimezoneId = "UTC",
            });
            context.SetDefaultTimeout(TimeoutMs);
            return new UiBrowser(playwright, browser, await context.NewPageAsync());
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A full-page screenshot kept with the test's results (and in the test output's screenshots
    /// folder), so a person can look at what the test saw; returns the PNG.
    /// </summary>
    public async Task<byte[]> ScreenshotAsync(TestContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        var png = await Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name + ".png");
        await File.WriteAllBytesAsync(file, png);
        context.AddResultFile(file);
        return png;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
