using BatchOrchestrator.Engine.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BatchOrchestrator.Server.Telemetry;

/// <summary>
/// Where the local host's metrics and spans go (docs/observability.md): the engine's meter and
/// activity source, ASP.NET Core's and HttpClient's own instrumentation, the .NET runtime's;
/// OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables itself).
/// </summary>
public static class TelemetryExport
{
    /// <summary>The <c>service.name</c> of the local host's telemetry (<c>OTEL_SERVICE_NAME</c> overrides it).</summary>
    public const string ServiceName = "batch-orchestrator";

    public static bool OtlpConfigured(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrWhiteSpace(environment("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    public static ResourceBuilder Resource(ResourceBuilder resource) => resource.AddService(ServiceName);

    /// <summary><c>bo server</c>'s metrics: the Prometheus exporter behind <c>/metrics</c>, and OTLP when configured.</summary>
    public static MeterProviderBuilder ServerMetrics(MeterProviderBuilder metrics, bool otlp)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.AddMeter(TelemetryNames.Source)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter();
        return otlp ? metrics.AddOtlpExporter() : metrics;
    }

    /// <summary><c>bo server</c>'s spans: exported over OTLP when configured (else recorded by nobody, so they cost nothing).</summary>
    public static TracerProviderBuilder ServerTraces(TracerProviderBuilder traces, bool otlp)
    {
        ArgumentNullException.ThrowIfNull(traces);
        traces.AddSource(TelemetryNames.Source)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation();
        return otlp ? traces.AddOtlpExporter() : traces;
    }

    /// <summary>
    /// <c>bo run</c>'s export: OTLP when configured, else nothing at all (no listener, nothing
    /// printed). Disposing the result flushes what is left before the command exits.
    /// </summary>
    public static IDisposable? StartOtlp(Func<string, string?> environment)
    {
        if (!OtlpConfigured(environment))
        {
            return null;
        }

        var resource = Resource(ResourceBuilder.CreateDefault());
        var traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(TelemetryNames.Source)
            .AddHttpClientInstrumentation()
            .AddOtlpExporter()
            .Build();
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(TelemetryNames.Source)
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddOtlpExporter()
            .Build();
        return new Providers(traces, metrics);
    }

    private sealed class Providers(TracerProvider traces, MeterProvider metrics) : IDisposable
    {
        public void Dispose()
        {
            // Dispose flushes: the run's last spans and a final collection of its metrics.
            traces.Dispose();
            metrics.Dispose();
        }
    }
}
