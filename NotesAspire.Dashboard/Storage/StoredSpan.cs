using NotesAspire.Dashboard.Otlp.Proto;
using NotesAspire.Dashboard.Telemetry;

namespace NotesAspire.Dashboard.Storage;

/// <summary>A span kept as it was received: turning it into a <see cref="SpanDetail"/> waits until someone looks.</summary>
internal sealed record StoredSpan(Span Proto, TelemetryResource Resource, string Scope);
