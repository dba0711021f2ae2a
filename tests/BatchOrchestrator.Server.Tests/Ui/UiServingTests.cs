using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Ui;

/// <summary>
/// The web UI as a browser fetches it: the entry page and its modules from the server itself
/// (nothing to install), with content types and ETags, and client routes that survive a reload,
/// while unknown API routes stay JSON errors.
/// </summary>
[TestClass]
public sealed partial class UiServingTests
{
    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> NoProjects = [];

    [TestMethod]
    public async Task EntryPageIsHtmlAndRevalidatesWithItsETag()
    {
        await using var server = await TestServer.StartAsync(NoProjects);

        using var first = await server.Client.GetAsync("/");
        Assert.AreEqual(HttpStatusCode.OK, first.StatusCode);
        Assert.AreEqual("text/html", first.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual("utf-8", first.Content.Headers.ContentType?.CharSet);
        StringAssert.Contains(await first.Content.ReadAsStringAsync(), "<title>BatchOrchestrator</title>");
        Assert.IsTrue(first.Headers.CacheControl?.NoCache, "the page must be revalidated, so a new build is seen at once");
        var etag = first.Headers.ETag;
        Assert.IsNotNull(etag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(etag);
        using var revalidated = await server.Client.SendAsync(again);
        Assert.AreEqual(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.AreEqual(0, (await revalidated.Content.ReadAsByteArrayAsync()).Length);
    }

    [TestMethod]
    public async Task EveryFileThePageLoadsIsServedWithItsContentType()
    {
        await using var server = await TestServer.StartAsync(NoProjects);

        // Follow the page's links and every module's imports, as the browser does: a broken import path fails here.
        var html = await server.Client.GetStringAsync("/");
        var pending = new Queue<string>(AssetReference().Matches(html).Select(m => m.Groups["path"].Value));
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var path))
        {
            if (seen.ContainsKey(path))
            {
                continue;
            }

            using var response = await server.Client.GetAsync(path);
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, path);
            Assert.IsNotNull(response.Headers.ETag, path);
            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            seen[path] = type;
            if (path.EndsWith(".js", StringComparison.Ordinal))
            {
                foreach (Match import in ModuleImport().Matches(await response.Content.ReadAsStringAsync()))
                {
                    pending.Enqueue(new Uri(new Uri(server.Client.BaseAddress!, path), import.Groups["path"].Value).AbsolutePath);
                }
            }
        }

        Assert.AreEqual("text/css", seen["/assets/app.css"]);
        Assert.AreEqual("image/svg+xml", seen["/assets/favicon.svg"]);
        var modules = seen.Where(s => s.Key.EndsWith(".js", StringComparison.Ordinal)).ToList();
        Assert.IsGreaterThan(5, modules.Count, string.Join(", ", seen.Keys));
        Assert.IsTrue(modules.All(m => m.Value == "text/javascript"), string.Join(", ", modules));
        CollectionAssert.Contains(seen.Keys, "/assets/js/views/attempt.js");
    }

    [TestMethod]
    [DataRow("/workflows")]
    [DataRow("/attempts?status=error")]
    [DataRow("/attempts/bo%3Aproject%3Awf%3A2026-11-22T00%3A00%3A00%2B00%3A00")]
    [DataRow("/sessions/some-session")]
    public async Task ClientRoutesGetTheEntryPageSoALinkOrReloadWorks(string route)
    {
        await using var server = await TestServer.StartAsync(NoProjects);
        using var index = await server.Client.GetAsync("/");

        using var response = await server.Client.GetAsync(route);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual(index.Headers.ETag, response.Headers.ETag);
    }

    [TestMethod]
    [DataRow("GET", "/api/no-such-resource")]
    [DataRow("POST", "/api/attempts/x/no-such-action")]
    [DataRow("GET", "/assets/js/no-such-module.js")]
    [DataRow("GET", "/favicon.ico")]
    [DataRow("DELETE", "/workflows")]
    public async Task UnknownRoutesAreJsonNotFoundNeverThePage(string method, string path)
    {
        await using var server = await TestServer.StartAsync(NoProjects);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await server.Client.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "\"status\":404");
    }

    [GeneratedRegex("""(?:src|href)="(?<path>/assets/[^"]+)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex AssetReference();

    [GeneratedRegex("""(?:import|from)\s+'(?<path>\.{1,2}/[^']+\.js)'""")]
    private static partial Regex ModuleImport();
}
