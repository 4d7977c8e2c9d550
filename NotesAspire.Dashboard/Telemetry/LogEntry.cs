namespace NotesAspire.Dashboard.Telemetry;

/// <summary>A structured log record. <see cref="Sequence"/> grows with arrival, so pages can ask for what is new.</summary>
public sealed record LogEntry(
    long Sequence,
    DateTimeOffset Time,
    string Service,
    string Scope,
    string Severity,
    int SeverityNumber,
    string Message,
    string? TraceId,
    string? SpanId,
    IReadOnlyDictionary<string, string> Attributes);
