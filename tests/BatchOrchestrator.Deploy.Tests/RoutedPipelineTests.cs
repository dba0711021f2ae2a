using BatchOrchestrator.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Deploy.Tests;

/// <summary>
/// The Functions app hands every request its catch-all function receives to the API's routes,
/// after the worker's own routing has already matched it to that function: the API must still
/// answer by its own routes (on a real ASP.NET Core server, routed as the worker routes).
/// </summary>
[TestClass]
public sealed class RoutedPipelineTests
{
    [TestMethod]
    public async Task A_request_already_routed_to_a_catch_all_is_answered_by_the_api_routes()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(new ApiOptions());
        await using var app = builder.Build();
        var api = new RoutedPipeline(app.Services, endpoints =>
        {
            endpoints.MapGet("/api/attempts/{id}", (string id) => Results.Text($"attempt {id}"));
            endpoints.MapPost("/api/attempts/{id}/kill", (string id) => Results.Accepted(value: id));
        });
        app.Map("{*path}", api.InvokeAsync);
        await app.StartAsync();
        using var client = app.GetTestClient();

        Assert.AreEqual("attempt a1", await client.GetStringAsync(new Uri("/api/attempts/a1", UriKind.Relative)));
        // A bodiless change says it comes from a client, not a form (the API's cross-site guard).
        using var killRequest = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/attempts/a1/kill", UriKind.Relative));
        killRequest.Headers.Add("X-Requested-By", "bo");
        using var kill = await client.SendAsync(killRequest);
        Assert.AreEqual(System.Net.HttpStatusCode.Accepted, kill.StatusCode);
        using var unknown = await client.GetAsync(new Uri("/api/nothing", UriKind.Relative));
        Assert.AreEqual(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
