using System.Net;
using System.Net.Http.Headers;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Api;

[TestClass]
public sealed class SecretAndTokenTests
{
    [TestMethod]
    public async Task Secrets_are_set_listed_by_name_and_deleted_but_never_read_back()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", "+a:\n  echo>: a\n");
        using (var set = await server.Client.PutAsync(new Uri("/api/projects/shop/secrets/api.token", UriKind.Relative), TestServer.JsonBody("""{"value":"s3cr3t"}""")))
        {
            Assert.AreEqual(HttpStatusCode.NoContent, set.StatusCode, await set.Content.ReadAsStringAsync());
        }

        using (var list = await server.Client.GetAsync(new Uri("/api/projects/shop/secrets", UriKind.Relative)))
        {
            var text = await list.Content.ReadAsStringAsync();
            Assert.AreEqual("""["api.token"]""", text);
        }

        var store = (ISecretStore)server.Host.Services.GetService(typeof(ISecretStore))!;
        Assert.AreEqual("s3cr3t", await store.GetAsync("shop", "api.token", CancellationToken.None));

        using (var badKey = await server.Client.PutAsync(new Uri("/api/projects/shop/secrets/9lives", UriKind.Relative), TestServer.JsonBody("""{"value":"x"}""")))
        {
            await TestServer.AssertProblemAsync(badKey, HttpStatusCode.BadRequest);
        }

        using (var noValue = await server.Client.PutAsync(new Uri("/api/projects/shop/secrets/other", UriKind.Relative), TestServer.JsonBody("""{"valeu":"x"}""")))
        {
            await TestServer.AssertProblemAsync(noValue, HttpStatusCode.BadRequest);
        }

        using (var delete = await server.Client.DeleteAsync(new Uri("/api/projects/shop/secrets/api.token", UriKind.Relative)))
        {
            Assert.AreEqual(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using (var again = await server.Client.DeleteAsync(new Uri("/api/projects/shop/secrets/api.token", UriKind.Relative)))
        {
            await TestServer.AssertProblemAsync(again, HttpStatusCode.NotFound);
        }

        Assert.IsEmpty(await store.ListAsync("shop", CancellationToken.None), "the refused writes wrote nothing");
    }

    [TestMethod]
    public async Task Beyond_loopback_a_token_is_required_and_a_missing_or_wrong_one_is_401_with_nothing_done()
    {
        await Assert.ThrowsExactlyAsync<ServerConfigurationException>(() => TestServer.StartAsync(
            new Dictionary<string, IReadOnlyDictionary<string, string>>(), token: null, bind: IPAddress.Any));

        await using var server = await TestServer.StartAsync(
            new Dictionary<string, IReadOnlyDictionary<string, string>> { ["shop"] = new Dictionary<string, string> { ["daily.dig"] = "+a:\n  echo>: a\n" } },
            token: "right-token",
            bind: IPAddress.Any);
        const string start = """{"project":"shop","workflow":"daily"}""";
        foreach (var token in new string?[] { null, "wrong-token", "right-token-but-longer" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/attempts", UriKind.Relative)) { Content = TestServer.JsonBody(start) };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await server.Client.SendAsync(request);
            await TestServer.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        }

        using (var secret = await server.Client.PutAsync(new Uri("/api/projects/shop/secrets/k", UriKind.Relative), TestServer.JsonBody("""{"value":"v"}""")))
        {
            await TestServer.AssertProblemAsync(secret, HttpStatusCode.Unauthorized);
        }

        Assert.IsEmpty((await server.Runs.ListSessionsAsync(new SessionQuery(), CancellationToken.None)).Items, "nothing was started");
        Assert.IsEmpty(await ((ISecretStore)server.Host.Services.GetService(typeof(ISecretStore))!).ListAsync("shop", CancellationToken.None));

        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "right-token");
        using var allowed = await server.PostJsonAsync("/api/attempts", start);
        Assert.AreEqual(HttpStatusCode.Created, allowed.StatusCode, await allowed.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task The_OpenAPI_document_describes_the_routes()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", "+a:\n  echo>: a\n");
        using var response = await server.Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var paths = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        foreach (var route in new[] { "/api/projects", "/api/attempts", "/api/attempts/{attemptId}/retry", "/api/attempts/{attemptId}/logs/{task}", "/api/projects/{project}/secrets/{key}" })
        {
            Assert.IsTrue(paths.TryGetProperty(route, out _), $"{route} is in the document");
        }
    }
}
