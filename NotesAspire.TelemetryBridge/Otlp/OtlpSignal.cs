namespace NotesAspire.TelemetryBridge.Otlp;

/// <summary>The three kinds of OTLP export the bridge carries.</summary>
public enum OtlpSignal
{
    Traces,
    Logs,
    Metrics,
}
