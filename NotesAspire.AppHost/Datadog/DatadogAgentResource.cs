namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The Datadog Agent in a container, as the tutorial's compose file runs it: APM on port 8126, and OTLP ingest on 4317
/// (gRPC) and 4318 (HTTP), where the telemetry bridge sends the services' traces, logs and metrics.
/// </summary>
public sealed class DatadogAgentResource(string name) : ContainerResource(name)
{
    internal const string OtlpHttpEndpointName = "otlp-http";
    internal const string OtlpGrpcEndpointName = "otlp-grpc";
    internal const string ApmEndpointName = "apm";

    public EndpointReference OtlpHttpEndpoint => field ??= new(this, OtlpHttpEndpointName);
}
