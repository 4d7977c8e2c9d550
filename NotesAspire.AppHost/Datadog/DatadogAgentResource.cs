namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The Datadog Agent in a container, as the tutorial's compose file runs it: APM on port 8126, and OTLP ingest on 4317
/// (gRPC) and 4318 (HTTP), where the telemetry bridge sends the services' traces, logs and metrics.
/// </summary>
public sealed class DatadogAgentResource(string name, ParameterResource apiKey) : ContainerResource(name)
{
    internal const string OtlpHttpEndpointName = "otlp-http";
    internal const string OtlpGrpcEndpointName = "otlp-grpc";
    internal const string ApmEndpointName = "apm";

    /// <summary>The account's API key: a secret parameter, passed to the container by reference, never written out.</summary>
    public ParameterResource ApiKey => apiKey;

    public EndpointReference OtlpHttpEndpoint => field ??= new(this, OtlpHttpEndpointName);
}
