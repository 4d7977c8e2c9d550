using NotesAspire.Dashboard.Naming;

namespace NotesAspire.Dashboard.Telemetry;

/// <summary>One span as the API and the trace page show it, with the names Datadog will give it.</summary>
public sealed record SpanDetail(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    SpanKind Kind,
    string Service,
    string Scope,
    DateTimeOffset StartTime,
    DateTimeOffset EndTime,
    double StartOffsetMs,
    double DurationMs,
    SpanStatusCode Status,
    string? StatusMessage,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<SpanEvent> Events,
    IReadOnlyDictionary<string, string> ResourceAttributes,
    DatadogSpan Datadog);
