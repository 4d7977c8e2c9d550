using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Dashboard.Naming;

/// <summary>What the Datadog agent looks at in an OTLP span. Ids are lowercase hex, as in W3C trace context.</summary>
public sealed record OtlpSpanFacts(
    string TraceId,
    string SpanId,
    string Name,
    SpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> ResourceAttributes,
    bool IsError = false,
    string? StatusMessage = null,
    IReadOnlyList<SpanEvent>? Events = null);
