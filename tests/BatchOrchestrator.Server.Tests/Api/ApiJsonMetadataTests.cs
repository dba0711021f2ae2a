using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BatchOrchestrator.Api;
using BatchOrchestrator.Server.Tests.Support;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Server.Tests.Api;

/// <summary>
/// The Native AOT <c>bo server</c> has no reflection to describe JSON: a body the API reads or an
/// answer it writes that its compile-time context lacks is an error at run time there (a 500, or
/// no OpenAPI document), while these JIT tests fall back to reflection and pass. This finds such a
/// type without publishing the AOT binary.
/// </summary>
[TestClass]
public sealed class ApiJsonMetadataTests
{
    [TestMethod]
    public async Task Every_body_the_api_reads_or_writes_is_described_without_reflection()
    {
        await using var server = await TestServer.StartAsync("demo", "daily.dig", "+a:\n  echo>: hi\n");
        var endpoints = server.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var bodies = endpoints
            .SelectMany(e => e.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.Type)
                .Concat(e.Metadata.OfType<IAcceptsMetadata>().Select(m => m.RequestType)))
            .OfType<Type>()
            // The framework's own problem bodies are described by ASP.NET Core's context.
            .Where(t => t != typeof(void) && t.Namespace?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) != true)
            .Distinct()
            .ToList();

        // The API's options with reflection off, as in the Native AOT binary.
        var json = ApiServices.Configure(new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine() });
        var undescribed = bodies.Where(t => !Describes(json, t)).Select(t => t.ToString()).ToList();

        Assert.IsGreaterThan(10, bodies.Count, "the API's endpoints declare what they read and write: " + string.Join(", ", bodies));
        Assert.IsEmpty(undescribed, "add to ApiJsonContext: " + string.Join(", ", undescribed));
    }

    private static bool Describes(JsonSerializerOptions json, Type type)
    {
        try
        {
            return json.GetTypeInfo(type) is not null;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }
}
