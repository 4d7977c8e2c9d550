namespace NotesAspire.Dashboard.Telemetry;

/// <summary>How much the store holds and how much it let go: evicted (oldest, over the limit) and rejected (invalid).</summary>
public sealed record TelemetryStats(
    int Traces,
    long Spans,
    int LogRecords,
    int Metrics,
    long ReceivedSpans,
    long ReceivedLogRecords,
    long EvictedTraces,
    long EvictedLogRecords,
    long RejectedSpans,
    long RejectedLogRecords)
{
    /// <summary>Null unless the dashboard forwards what it receives (<see cref="DashboardOptions.ForwardOtlpTo"/>).</summary>
    public ForwardingStats? Forwarding { get; init; }
}
