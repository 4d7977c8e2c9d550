using NotesAspire.Dashboard.Otlp.Proto;
using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Dashboard.Storage;

internal sealed record StoredLog(long Sequence, LogRecord Proto, TelemetryResource Resource, string Scope);
