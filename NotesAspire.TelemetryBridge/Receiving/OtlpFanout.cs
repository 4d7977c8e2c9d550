using Google.Protobuf;
using NotesAspire.TelemetryBridge.Naming;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.TelemetryBridge.Sending;

namespace NotesAspire.TelemetryBridge.Receiving;

/// <summary>
/// What both receivers do with an accepted export, whatever it came over: queue it for each destination and answer at
/// once. Datadog gets the request untouched; the dashboard gets traces with Datadog's names added.
/// </summary>
/// <remarks><paramref name="body"/> is the request's wire form: the exact bytes posted over HTTP, the message re-serialised over gRPC.</remarks>
public sealed class OtlpFanout(Destinations destinations)
{
    public ExportTraceServiceResponse Traces(ExportTraceServiceRequest request, ReadOnlyMemory<byte> body)
    {
        destinations.Datadog?.Enqueue(new OtlpExport(OtlpSignal.Traces, body));
        destinations.Dashboard?.Enqueue(new OtlpExport(OtlpSignal.Traces, DatadogAttributes.AddTo(request).ToByteArray()));

        return new ExportTraceServiceResponse();
    }

    public ExportLogsServiceResponse Logs(ExportLogsServiceRequest request, ReadOnlyMemory<byte> body)
    {
        Both(new OtlpExport(OtlpSignal.Logs, body));
        return new ExportLogsServiceResponse();
    }

    public ExportMetricsServiceResponse Metrics(ExportMetricsServiceRequest request, ReadOnlyMemory<byte> body)
    {
        Both(new OtlpExport(OtlpSignal.Metrics, body));
        return new ExportMetricsServiceResponse();
    }

    // Nothing changes a log or metric request on its way, so both destinations share its bytes.
    private void Both(OtlpExport export)
    {
        destinations.Datadog?.Enqueue(export);
        destinations.Dashboard?.Enqueue(export);
    }
}
