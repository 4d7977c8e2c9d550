namespace NotesAspire.TelemetryBridge.TraceApi;

/// <summary>A span of the agent's trace API (v0.4), field for field.</summary>
public sealed record DatadogSpan(
    string Service,
    string Name,
    string Resource,
    string Type,
    ulong TraceId,
    ulong SpanId,
    ulong ParentId,
    long Start,
    long Duration,
    int Error,
    IReadOnlyDictionary<string, string> Meta,
    IReadOnlyDictionary<string, double> Metrics);
