using NotesAspire.TelemetryBridge.Otlp;

namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>Sends one export request to one destination, once, and says what came of it. Never throws for the destination's faults.</summary>
public interface IOtlpSender : IDisposable
{
    string Target { get; }

    Task<SendResult> SendAsync(OtlpExport export, CancellationToken cancellationToken);
}
