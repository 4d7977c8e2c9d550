namespace NotesAspire.TelemetryBridge.Otlp;

/// <summary>Where OTLP/HTTP takes each signal, relative to the receiver's base URL.</summary>
public static class OtlpPaths
{
    public const string Traces = "v1/traces";
    public const string Logs = "v1/logs";
    public const string Metrics = "v1/metrics";

    public static string Of(OtlpSignal signal) => signal switch
    {
        OtlpSignal.Traces => Traces,
        OtlpSignal.Logs => Logs,
        _ => Metrics,
    };
}
