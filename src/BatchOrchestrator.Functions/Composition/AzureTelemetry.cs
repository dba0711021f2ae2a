using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using BatchOrchestrator.Engine.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BatchOrchestrator.Functions.Composition;

/// <summary>
/// The Functions app's metrics and spans (the engine's meter and activity source, its HttpClient
/// calls) go to Application Insights through the connection string the Bicep provisions
/// (<c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>). Local ingestion is off there, so the exporter
/// signs in as the app's identity (<c>AZURE_CLIENT_ID</c>), which holds Monitoring Metrics Publisher.
/// Without the setting nothing listens, and the engine's instruments cost a flag check.
/// </summary>
internal static class AzureTelemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Adds the export when the connection string is set; returns whether it did.</summary>
    /// <param name="credential">The identity the exporter signs in as; the app's (<c>DefaultAzureCredential</c>) when null.</param>
    /// <param name="transport">How the exporter reaches the ingestion endpoint; Azure.Core's default when null (tests: a fake endpoint).</param>
    public static bool Add(IServiceCollection services, Func<string, string?> setting, Func<TokenCredential>? credential = null, Azure.Core.Pipeline.HttpPipelineTransport? transport = null)
    {
        if (setting(ConnectionStringSetting) is not { } connectionString)
        {
            return false;
        }

        var identity = (credential ?? (() => new DefaultAzureCredential()))();
        void Configure(AzureMonitorExporterOptions options)
        {
            options.ConnectionString = connectionString;

            // Every span of every attempt: the exporter's default since 1.6 keeps 5 traces a second,
            // which would cut a batch's task spans out of its trace. A daily batch's volume is modest.
            options.SamplingRatio = 1.0f;
            options.TracesPerSecond = null;
            if (transport is not null)
            {
                options.Transport = transport;
            }
        }

        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(TelemetryNames.Source).AddHttpClientInstrumentation().AddAzureMonitorMetricExporter(Configure, identity))
            .WithTracing(traces => traces.AddSource(TelemetryNames.Source).AddHttpClientInstrumentation().AddAzureMonitorTraceExporter(Configure, identity));
        return true;
    }
}
