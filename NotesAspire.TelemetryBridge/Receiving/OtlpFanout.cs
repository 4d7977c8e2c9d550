using Google.Protobuf;
using NotesAspire.TelemetryBridge.Naming;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.TelemetryBridge.Sending;

namespace NotesAspire.TelemetryBridge.Receiving;

/// <summary>
/// What both receivers do with an export, whatever it came over: check it, queue it for each destination and answer at
/// once. Datadog gets the bytes exactly as they came; the dashboard gets traces with Datadog's names added.
/// </summary>
public sealed class OtlpFanout(Destinations destinations)
{
    /// <summary>Queues <paramref name="body"/> for each destination; false, and nothing queued, when it is not the signal's message.</summary>
    public bool TryAccept(OtlpSignal signal, ReadOnlyMemory<byte> body)
    {
        OtlpExport? named = null;
        try
        {
            if (signal == OtlpSignal.Traces)
            {
                // Naming reads every span, which is the check too.
                named = new OtlpExport(signal, DatadogAttributes.AddTo(body.Span));
            }
            else
            {
                // Nothing changes a log or metric export on its way: parsing only proves it is the message.
                _ = signal == OtlpSignal.Logs ? (IMessage)ExportLogsServiceRequest.Parser.ParseFrom(body.Span) : ExportMetricsServiceRequest.Parser.ParseFrom(body.Span);
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidProtocolBufferException)
        {
            return false;
        }

        var export = new OtlpExport(signal, body);
        destinations.Datadog?.Enqueue(export);
        destinations.Dashboard?.Enqueue(named ?? export);
        return true;
    }
}
