using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using BatchOrchestrator.Engine.Telemetry;
using BatchOrchestrator.Executors.Tests.Aci;
using BatchOrchestrator.Functions.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BatchOrchestrator.Functions.Tests.Composition;

/// <summary>
/// The Functions app's export to Application Insights, against a fake ingestion endpoint on
/// 127.0.0.1 named by the connection string as the Bicep provisions it: the engine's metrics
/// and every span arrive, sent with the identity's token (local ingestion is off there).
/// </summary>
[TestClass]
public sealed class AzureTelemetryTests
{
    [TestMethod]
    public async Task With_the_connection_string_the_engine_s_metrics_reach_Application_Insights_as_the_identity()
    {
        var received = new ConcurrentQueue<(string Authorization, string Body)>();
        // HTTPS: Azure.Core sends a bearer token over TLS only. A certificate of the test's own, trusted by the exporter's transport alone.
        using var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        await using var ingestion = builder.Build();
        ingestion.MapPost("/v2.1/track", async (HttpContext http) =>
        {
            var body = http.Request.Headers.ContentEncoding.ToString() == "gzip" ? new GZipStream(http.Request.Body, CompressionMode.Decompress) : http.Request.Body;
            using var reader = new StreamReader(body);
            var text = await reader.ReadToEndAsync();
            received.Enqueue((http.Request.Headers.Authorization.ToString(), text));
            var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            return Results.Json(new { itemsReceived = items, itemsAccepted = items, errors = Array.Empty<object>() });
        });
        await ingestion.StartAsync();
        var endpoint = ingestion.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        var settings = new Dictionary<string, string>
        {
            [AzureTelemetry.ConnectionStringSetting] = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={endpoint}/",
        };
        var credential = new FakeCredential();
        var services = new ServiceCollection();

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint };
        Assert.IsTrue(AzureTelemetry.Add(services, name => settings.GetValueOrDefault(name), () => credential, new HttpClientTransport(handler)));
        await using var provider = services.BuildServiceProvider();
        var meters = provider.GetRequiredService<MeterProvider>();
        var traces = provider.GetRequiredService<TracerProvider>();
        using var telemetry = new EngineTelemetry();
        telemetry.AttemptsFinished.Add(1, new(TelemetryNames.Project, "otel_azure"), new(TelemetryNames.Workflow, "daily"), new(TelemetryNames.Outcome, TelemetryNames.Failure));
        // 30 attempts' traces of 3 tasks each within a moment, faster than any rate limit: every span is kept.
        for (var attempt = 0; attempt < 30; attempt++)
        {
            using var root = telemetry.Source.StartActivity($"bo.test.attempt{attempt}");
            for (var i = 0; i < 3; i++)
            {
                using var task = telemetry.Source.StartActivity($"bo.test.task{i}");
            }
        }

        Assert.IsTrue(meters.ForceFlush(30_000) & traces.ForceFlush(30_000), "the exporters flushed");
        var bodies = received.ToList();
        Assert.IsTrue(bodies.Any(b => b.Body.Contains("bo.attempt.finished", StringComparison.Ordinal) && b.Body.Contains("otel_azure", StringComparison.Ordinal)), "the metric arrived: " + string.Join("\n", bodies.Select(b => b.Body)));
        var spans = bodies.SelectMany(b => b.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Where(item => item.Contains("\"name\":\"bo.test.", StringComparison.Ordinal)).ToList();
        Assert.HasCount(120, spans, "every span arrived: " + string.Join("\n", bodies.Select(b => b.Body)));
        Assert.IsTrue(spans.All(s => s.Contains("\"microsoft.sample_rate\":\"100\"", StringComparison.Ordinal) || !s.Contains("microsoft.sample_rate", StringComparison.Ordinal)), "none was sampled: " + spans[0]);
        Assert.IsTrue(bodies.All(b => b.Authorization == "Bearer fake-token"), "sent as the identity");
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    [TestMethod]
    public void Without_the_connection_string_nothing_listens()
    {
        var services = new ServiceCollection();

        Assert.IsFalse(AzureTelemetry.Add(services, _ => null));
        using var provider = services.BuildServiceProvider();
        Assert.IsNull(provider.GetService<MeterProvider>());
        Assert.IsNull(provider.GetService<TracerProvider>());
    }
}
