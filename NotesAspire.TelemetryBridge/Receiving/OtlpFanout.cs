using Google.Protobuf;
using NotesAspire.TelemetryBridge.Naming;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.TelemetryBridge.Sending;

namespace NotesAspire.TelemetryBridge.Receiving;

/// <summary>
/// What both receivers do with an export, whatever it came over: check it, queue it for each destination and answer at
/// once. Datadog's queue gets the bytes as they came (its trace API sender converts them; Datadog names them itself);
/// the dashboard's gets traces with Datadog's names added.
/// </summary>
public sealed class OtlpFanout(Destinations destinations, BridgeOptions options)
{
    // The names add about 150 bytes a span: a named copy past twice the largest request is not a trace export's.
    private readonly int _maxNamedBytes = options.Tuning.MaxCopyBytes;

    /// <summary>
    /// Queues <paramref name="body"/> for each destination; false, with why in <paramref name="refusal"/>, and nothing
    /// queued, when it is not the signal's message.
    /// </summary>
    public bool TryAccept(OtlpSignal signal, ReadOnlyMemory<byte> body, out string refusal)
    {
        OtlpExport? named = null;
        refusal = "";
        try
        {
            if (signal == OtlpSignal.Traces)
            {
                // Naming reads every span, which is the check too.
                named = new OtlpExport(signal, DatadogAttributes.AddTo(body.Span, _maxNamedBytes));
            }
            else
            {
                // Nothing changes a log or metric export on its way: parsing only proves it is the message.
                _ = signal == OtlpSignal.Logs ? (IMessage)ExportLogsServiceRequest.Parser.ParseFrom(body.Span) : ExportMetricsServiceRequest.Parser.ParseFrom(body.Span);
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidProtocolBufferException)
        {
            refusal = $"The request is not an OTLP {signal} export: {exception.Message}";
            return false;
        }

        var export = new OtlpExport(signal, body);
        destinations.Datadog?.Enqueue(export);
        destinations.Dashboard?.Enqueue(named ?? export);
        return true;
    }
}
