namespace NotesAspire.TelemetryBridge.Otlp;

/// <summary>
/// One export request on its way to one destination, as wire bytes only: a parsed OTLP message takes several times its
/// wire size in memory, so queues of bytes keep the byte bound honest. For the Datadog copy over HTTP the bytes are
/// exactly what the sender posted (after gzip).
/// </summary>
public sealed record OtlpExport(OtlpSignal Signal, ReadOnlyMemory<byte> Body);
