namespace NotesAspire.Dashboard.Naming;

/// <summary>
/// A span as Datadog will show it once the agent has ingested it over OTLP. Ids are decimal strings:
/// JavaScript numbers cannot hold 64 bits.
/// </summary>
public sealed record DatadogSpan(
    string OperationName,
    string Resource,
    string SpanType,
    string Service,
    string? Env,
    string? Version,
    bool Error,
    string? ErrorMessage,
    string? ErrorType,
    string? ErrorStack,
    string TraceId,
    string SpanId,
    string OtelTraceId);
