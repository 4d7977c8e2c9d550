namespace NotesAspire.Dashboard.Telemetry;

/// <summary>A trace with its spans, parents before children, siblings by start time.</summary>
public sealed record TraceDetail(TraceSummary Summary, IReadOnlyList<SpanDetail> Spans);
