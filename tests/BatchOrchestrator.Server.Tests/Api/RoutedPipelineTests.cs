using System.Text;
using System.Text.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Server.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Server.Tests.Api;

/// <summary>
/// The pipelines the Functions app hands its HTTP functions' requests to: the whole API behind the
/// function key, and the UI alone for the anonymous function, which must never answer with data.
/// Requests are HttpContexts whose services are a real server's, as the Functions worker gives them.
/// </summary>
[TestClass]
public sealed class RoutedPipelineTests
{
    [TestMethod]
    public async Task The_api_pipeline_answers_api_routes_and_the_ui_page()
    {
        await using var server = await StartAsync();
        var api = RoutedPipeline.ForApi(server.Host.Services);

        var projects = await SendAsync(api, server, "/api/projects");
        Assert.AreEqual(StatusCodes.Status200OK, projects.Status, projects.Body);
        Assert.AreEqual("demo", JsonDocument.Parse(projects.Body).RootElement[0].GetProperty("name").GetString(), projects.Body);

        var page = await SendAsync(api, server, "/attempts");
        Assert.AreEqual(StatusCodes.Status200OK, page.Status);
        StringAssert.StartsWith(page.ContentType, "text/html");
    }

    [TestMethod]
    public async Task The_ui_pipeline_serves_the_page_and_assets_but_no_api_route()
    {
        await using var server = await StartAsync();
        var ui = RoutedPipeline.ForUi(server.Host.Services);

        var page = await SendAsync(ui, server, "/workflows/demo/daily");
        Assert.AreEqual(StatusCodes.Status200OK, page.Status);
        StringAssert.Contains(page.Body, "<title>BatchOrchestrator</title>");
        var script = await SendAsync(ui, server, "/assets/js/app.js");
        Assert.AreEqual(StatusCodes.Status200OK, script.Status);

        foreach (var path in new[] { "/api/projects", "/api/attempts", "/api/projects/demo/workflows", "/openapi/v1.json" })
        {
            var answer = await SendAsync(ui, server, path);
            Assert.AreEqual(StatusCodes.Status404NotFound, answer.Status, $"{path}: {answer.Body}");
            Assert.AreEqual("application/problem+json", answer.ContentType, $"{path}: a JSON problem, not an empty answer: {answer.Body}");
            Assert.DoesNotContain("demo", answer.Body.Replace(path, "", StringComparison.Ordinal), $"{path} leaked data: {answer.Body}");
        }

        var post = await SendAsync(ui, server, "/api/projects/demo/workflows/daily/attempts", HttpMethods.Post, requestedBy: true);
        Assert.AreEqual(StatusCodes.Status404NotFound, post.Status, post.Body);
    }

    [TestMethod]
    public async Task Both_pipelines_refuse_a_host_name_the_app_is_not_reached_by()
    {
        await using var server = await StartAsync();
        foreach (var pipeline in new[] { RoutedPipeline.ForUi(server.Host.Services), RoutedPipeline.ForApi(server.Host.Services) })
        {
            var page = await SendAsync(pipeline, server, "/", host: "rebind.attacker.example");
            Assert.AreEqual(StatusCodes.Status421MisdirectedRequest, page.Status, page.Body);
            StringAssert.Contains(page.Body, "rebind.attacker.example");
            Assert.DoesNotContain("<title>", page.Body);
        }
    }

    /// <summary>A server reached as app.example, as the Functions app is reached by its WEBSITE_HOSTNAME.</summary>
    private static Task<TestServer> StartAsync() => TestServer.StartAsync(
        new Dictionary<string, IReadOnlyDictionary<string, string>> { ["demo"] = new Dictionary<string, string> { ["daily.dig"] = "+step:\n  echo>: hi\n" } },
        hostNames: ["app.example"]);

    private static async Task<(int Status, string? ContentType, string Body)> SendAsync(RoutedPipeline pipeline, TestServer server, string path, string method = "GET", string host = "app.example", bool requestedBy = false)
    {
        await using var scope = server.Host.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString(host);
        if (requestedBy)
        {
            context.Request.Headers[BatchOrchestrator.Api.Guards.RequestGuard.RequestedByHeader] = "tests";
        }

        context.Request.Path = path;
        using var body = new MemoryStream();
        context.Response.Body = body;
        await pipeline.InvokeAsync(context);
        return (context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(body.ToArray()));
    }
}
