namespace NotesAspire.Dashboard.Telemetry;

/// <summary>A row of the traces list. <see cref="RootResource"/> is the root span's Datadog resource, e.g. <c>POST /notes</c>.</summary>
public sealed record TraceSummary(
    string TraceId,
    DateTimeOffset StartTime,
    double DurationMs,
    string RootService,
    string RootName,
    string RootResource,
    int SpanCount,
    int ErrorCount,
    IReadOnlyList<string> Services);
