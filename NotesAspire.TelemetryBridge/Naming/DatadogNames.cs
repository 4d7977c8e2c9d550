namespace NotesAspire.TelemetryBridge.Naming;

/// <summary>The names a span gets in Datadog once the agent has taken it in over OTLP. Env and version may be absent.</summary>
public sealed record DatadogNames(
    string OperationName,
    string Resource,
    string SpanType,
    string Service,
    string? Env,
    string? Version);
