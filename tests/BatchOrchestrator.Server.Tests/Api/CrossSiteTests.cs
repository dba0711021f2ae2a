using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Api;

/// <summary>
/// A web page on another site reaches the server only through a browser: by a DNS name it
/// rebinds to 127.0.0.1 (a foreign Host header), or by cross-site "simple" requests (a foreign
/// Origin, a form's content type, no body at all). Neither may read or change anything.
/// </summary>
[TestClass]
public sealed class CrossSiteTests
{
    private const string Workflow = "+a:\n  sh>: touch ran\n";

    [TestMethod]
    public async Task A_foreign_host_name_is_refused_with_421_and_nothing_is_pushed_or_run()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", Workflow);
        using var raw = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = TestServer.Guard };

        using (var push = Send(HttpMethod.Put, "/api/projects/evil", ProjectArchives.Gzip(ProjectArchives.TarGz(("run.dig", Workflow))), host: "rebind.attacker.example"))
        using (var response = await raw.SendAsync(push))
        {
            var problem = await TestServer.AssertProblemAsync(response, HttpStatusCode.MisdirectedRequest);
            StringAssert.Contains(problem.GetProperty("detail").GetString(), "--host-name rebind.attacker.example");
        }

        using (var start = Send(HttpMethod.Post, "/api/attempts", TestServer.JsonBody("""{"project":"shop","workflow":"daily"}"""), host: "rebind.attacker.example:" + server.Client.BaseAddress!.Port))
        using (var response = await raw.SendAsync(start))
        {
            await TestServer.AssertProblemAsync(response, HttpStatusCode.MisdirectedRequest);
        }

        foreach (var path in new[] { "/api/projects", "/", "/assets/app.js" })
        {
            using var read = Send(HttpMethod.Get, path, null, host: "rebind.attacker.example");
            using var response = await raw.SendAsync(read);
            await TestServer.AssertProblemAsync(response, HttpStatusCode.MisdirectedRequest);
        }

        var projects = await server.GetAsync<System.Text.Json.JsonElement>("/api/projects");
        Assert.IsFalse(projects.ToString().Contains("evil", StringComparison.Ordinal), projects.ToString());
        Assert.IsEmpty((await server.Runs.ListSessionsAsync(new SessionQuery(), CancellationToken.None)).Items, "no session was started");

        foreach (var host in new[] { "localhost", "127.0.0.1", "app.localhost" })
        {
            using var read = Send(HttpMethod.Get, "/api/projects", null, host: host);
            using var response = await raw.SendAsync(read);
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, host);
        }
    }

    [TestMethod]
    public async Task A_configured_host_name_is_served()
    {
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, IReadOnlyDictionary<string, string>> { ["shop"] = new Dictionary<string, string> { ["daily.dig"] = Workflow } },
            hostNames: ["bo.internal.example"]);
        using var raw = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = TestServer.Guard };
        using var read = Send(HttpMethod.Get, "/api/projects", null, host: "BO.internal.example");
        using var response = await raw.SendAsync(read);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [TestMethod]
    public async Task Cross_site_requests_change_nothing_with_or_without_a_token()
    {
        foreach (var token in new[] { null, "right-token" })
        {
            await using var server = await TestServer.StartAsync(
                new Dictionary<string, IReadOnlyDictionary<string, string>> { ["shop"] = new Dictionary<string, string> { ["daily.dig"] = "+a:\n  sh>: sleep 60\n" } },
                token: token,
                bind: token is null ? null : IPAddress.Any);
            if (token is not null)
            {
                server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var attempt = await server.StartAttemptAsync("shop", "daily");
            var kill = $"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/kill";
            var origin = server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);
            using var raw = new HttpClient { BaseAddress = server.Client.BaseAddress, Timeout = TestServer.Guard };
            raw.DefaultRequestHeaders.Authorization = server.Client.DefaultRequestHeaders.Authorization;

            // What a page elsewhere can send without a preflight: a form post, a text/plain fetch, a bodiless post.
            var refused = new Func<HttpRequestMessage>[]
            {
                () => Send(HttpMethod.Post, kill, null),
                () => Send(HttpMethod.Post, kill, new StringContent("", Encoding.UTF8, "text/plain")),
                () => Send(HttpMethod.Post, kill, new FormUrlEncodedContent([])),
                () => Send(HttpMethod.Post, "/api/attempts", new StringContent("""{"project":"shop","workflow":"daily","sessionTime":"2020-01-01T00:00:00Z"}""", Encoding.UTF8, "text/plain")),
                () => Send(HttpMethod.Post, kill, null, origin: "https://attacker.example"),
                () => Send(HttpMethod.Post, kill, null, origin: "null"),
                () => Send(HttpMethod.Post, "/api/attempts", TestServer.JsonBody("""{"project":"shop","workflow":"daily","sessionTime":"2020-01-01T00:00:00Z"}"""), origin: "http://attacker.example"),
                () => Send(HttpMethod.Put, "/api/projects/shop/secrets/k", TestServer.JsonBody("""{"value":"v"}"""), origin: origin.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)),
                () => Send(HttpMethod.Post, kill, TestServer.JsonBody("{}"), fetchSite: "cross-site"),
            };
            foreach (var request in refused)
            {
                using var message = request();
                using var response = await raw.SendAsync(message);
                await TestServer.AssertProblemAsync(response, HttpStatusCode.Forbidden);
            }

            Assert.AreEqual(AttemptStatus.Running, (await server.GetAsync<AttemptView>("/api/attempts/" + Uri.EscapeDataString(attempt.Id))).Status, "no refused kill stopped it");
            Assert.HasCount(1, (await server.Runs.ListSessionsAsync(new SessionQuery(), CancellationToken.None)).Items, "no refused start started a session");

            // The UI's own requests: same origin, and the header (or a JSON body).
            using (var own = Send(HttpMethod.Post, kill, null, origin: origin, fetchSite: "same-origin"))
            {
                own.Headers.Add(BatchOrchestrator.Api.Guards.RequestGuard.RequestedByHeader, "bo-ui");
                using var response = await raw.SendAsync(own);
                Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode, await response.Content.ReadAsStringAsync());
            }

            Assert.AreEqual(AttemptStatus.Killed, (await server.WaitEndedAsync(attempt.Id)).Status);
        }
    }

    private static HttpRequestMessage Send(HttpMethod method, string path, HttpContent? content, string? host = null, string? origin = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return request;
    }
}
