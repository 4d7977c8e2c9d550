namespace NotesAspire.Dashboard.Telemetry;

/// <summary>What went on to the OTLP receiver the dashboard forwards to: requests sent, dropped from a full queue, failed.</summary>
public sealed record ForwardingStats(string Target, long Forwarded, long Dropped, long Failed);
