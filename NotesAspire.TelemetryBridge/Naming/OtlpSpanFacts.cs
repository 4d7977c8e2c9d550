using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace NotesAspire.TelemetryBridge.Naming;

/// <summary>What the Datadog agent looks at in an OTLP span to name it.</summary>
public sealed record OtlpSpanFacts(
    string Name,
    Span.Types.SpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> ResourceAttributes);
