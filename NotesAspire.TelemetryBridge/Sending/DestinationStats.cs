namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>
/// Requests (exports, not spans) one destination has seen. Received = sent + rejected + dropped + queued + notCarried
/// (logs and metrics the agent's trace API does not take), at every moment: queued includes the request being sent.
/// Retried counts attempts that failed and were tried again; split counts requests the destination refused as too large
/// and took in parts.
/// </summary>
public sealed record DestinationStats(
    string Name, string Target, long Received, long Sent, long Retried, long Dropped, long Rejected, long Queued, long NotCarried = 0, long Split = 0);
