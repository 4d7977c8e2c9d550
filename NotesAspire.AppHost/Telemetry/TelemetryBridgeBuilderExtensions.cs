using Aspire.Hosting.ApplicationModel;
using NotesAspire.AppHost.Hosting;
using NotesAspire.AppHost.Telemetry;

namespace Aspire.Hosting;

public static class TelemetryBridgeBuilderExtensions
{
    public const string OtlpGrpcEndpointName = "otlp-grpc";
    public const string OtlpHttpEndpointName = "otlp-http";

    /// <summary>
    /// Adds the telemetry bridge (NotesAspire.TelemetryBridge), the application's OpenTelemetry Collector: every other
    /// project exports its OTLP to it, once, and it sends each request on to the Aspire dashboard, with Datadog's names
    /// added to the spans, and to Datadog when <see cref="WithDatadog"/> finds where. It runs whether Datadog is
    /// configured or not, so the dashboard always shows how Datadog will name each span. A deployment has no dashboard,
    /// so the bridge is left out of it: there the services export straight to the Datadog Agent (<see cref="WithDatadog"/>),
    /// Datadog's documented path.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddTelemetryBridge(this IDistributedApplicationBuilder builder, string name)
    {
        var bridge = builder.AddProject<Projects.NotesAspire_TelemetryBridge>(name)
            .WithAnnotation(new TelemetryBridgeAnnotation())
            .WithHttpEndpoint(name: OtlpGrpcEndpointName, env: "OTLP_GRPC_PORT")
            .WithHttpEndpoint(name: OtlpHttpEndpointName, env: "OTLP_HTTP_PORT")
            .WithHttpHealthCheck("/health", endpointName: OtlpHttpEndpointName)
            // The dashboard's OTLP/HTTP receiver rather than its gRPC one, when it has one (the launch profile gives it):
            // one POST of the whole export over HTTP/1.1 costs the bridge and the dashboard less than gRPC's HTTP/2
            // frames: in the bench, a sixth of the bridge's CPU and a quarter of the dashboard's (bench/README.md, item 29).
            .WithOtlpExporter(OtlpProtocol.HttpProtobuf)
            .WithRestartOnExit();
        if (builder.ExecutionContext.IsPublishMode)
        {
            return bridge.ExcludeFromManifest();
        }

        var receiver = bridge.GetEndpoint(OtlpHttpEndpointName);

        builder.OnEveryProject(project =>
        {
            if (project != bridge.Resource)
            {
                project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    context.ExportOtlpHttpTo(receiver);
                    // The dashboard's key is the bridge's business, not the services'.
                    context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_HEADERS");
                }));
            }
        });

        return bridge;
    }
}
