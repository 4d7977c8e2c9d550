namespace NotesAspire.AppHost.Running;

/// <summary>Where the services send their telemetry: OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL.</summary>
/// <param name="Protocol"><c>grpc</c> or <c>http/protobuf</c>.</param>
public sealed record OtlpExporter(string Endpoint, string Protocol = "grpc");
