namespace NotesAspire.Dashboard.Telemetry;

/// <summary>OTLP's span kinds, in the spec's order.</summary>
public enum SpanKind
{
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}
