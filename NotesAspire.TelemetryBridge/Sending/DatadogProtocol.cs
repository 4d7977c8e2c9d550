namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>How the bridge speaks to the Datadog agent (<c>DATADOG_PROTOCOL</c>).</summary>
public enum DatadogProtocol
{
    /// <summary>OTLP/HTTP when the agent's OTLP receiver answers, its trace API otherwise.</summary>
    Auto,
    Otlp,
    TraceApi,
}
