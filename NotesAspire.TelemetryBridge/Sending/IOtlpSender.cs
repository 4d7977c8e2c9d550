using NotesAspire.TelemetryBridge.Otlp;

namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>Sends one export request to one destination, once, and says what came of it. Never throws for the destination's faults.</summary>
public interface IOtlpSender : IDisposable
{
    string Target { get; }

    Task<SendResult> SendAsync(OtlpExport export, CancellationToken cancellationToken);

    /// <summary>
    /// Why requests of <paramref name="signal"/> are not carried, when that is known before sending (the agent's trace
    /// API takes traces only); null when they may be. Such requests are not queued: they would take the places of
    /// requests that will be sent.
    /// </summary>
    string? WhyNotCarried(OtlpSignal signal) => null;
}
