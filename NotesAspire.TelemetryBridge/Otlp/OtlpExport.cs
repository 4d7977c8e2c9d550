using Google.Protobuf;

namespace NotesAspire.TelemetryBridge.Otlp;

/// <summary>
/// One export request on its way to one destination: the message (for the gRPC client) and its wire bytes (for
/// OTLP/HTTP, and for the queue's byte bound). For the Datadog copy the bytes are exactly what the sender posted.
/// </summary>
public sealed record OtlpExport(OtlpSignal Signal, IMessage Message, ReadOnlyMemory<byte> Body);
