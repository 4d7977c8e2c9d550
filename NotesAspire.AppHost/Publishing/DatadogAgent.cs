namespace NotesAspire.AppHost.Publishing;

/// <summary>The Datadog Agent that receives the published services' telemetry: OpenTelemetry over OTLP/gRPC.</summary>
internal static class DatadogAgent
{
    public const string Image = "gcr.io/datadoghq/agent:7";

    public const int OtlpGrpcPort = 4317;

    /// <summary>The receiver binds to localhost unless told otherwise; other containers and pods must reach it.</summary>
    public static readonly string OtlpGrpcEndpoint = $"0.0.0.0:{OtlpGrpcPort}";

    /// <summary>The labels (Docker) and label prefix (Kubernetes) Datadog reads unified service tags from.</summary>
    public const string DockerTagLabelPrefix = "com.datadoghq.tags.";
    public const string KubernetesTagLabelPrefix = "tags.datadoghq.com/";
}
