namespace NotesAspire.Dashboard.Telemetry;

public enum SpanStatusCode
{
    Unset,
    Ok,
    Error,
}
