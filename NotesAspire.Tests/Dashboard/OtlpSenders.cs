using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NotesAspire.Tests.Dashboard;

/// <summary>The real OpenTelemetry .NET SDK, exporting with OTLP to a dashboard, as the services do.</summary>
public static class OtlpSenders
{
    public static TracerProvider Tracing(string serviceName, string sourceName, Uri endpoint, OtlpExportProtocol protocol) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ServiceResource(serviceName))
            .AddSource(sourceName)
            .AddOtlpExporter(otlp => Configure(otlp, endpoint, protocol, "/v1/traces"))
            .Build();

    public static ILoggerFactory Logging(string serviceName, Uri endpoint, OtlpExportProtocol protocol) =>
        LoggerFactory.Create(logging => logging.AddOpenTelemetry(otel =>
        {
            otel.SetResourceBuilder(ServiceResource(serviceName));
            otel.IncludeFormattedMessage = true;
            otel.AddOtlpExporter(otlp => Configure(otlp, endpoint, protocol, "/v1/logs"));
        }));

    private static ResourceBuilder ServiceResource(string serviceName) =>
        ResourceBuilder.CreateEmpty()
            .AddService(serviceName, serviceVersion: "1.2.3")
            .AddAttributes([new("deployment.environment.name", "test")]);

    private static void Configure(OtlpExporterOptions otlp, Uri endpoint, OtlpExportProtocol protocol, string httpPath)
    {
        otlp.Protocol = protocol;
        // Each span or log record goes out when it ends, and the call returns once the dashboard has answered, so what a
        // test reads next is there. Under load the batch processor's ForceFlush returned before its last export was
        // stored (seen as flaky tests on the 2-core machine).
        otlp.ExportProcessorType = ExportProcessorType.Simple;
        // Set in code, the endpoint is used as is: for http/protobuf it must name the signal's path.
        otlp.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, httpPath) : endpoint;
    }
}
