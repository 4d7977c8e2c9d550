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
    public ExportTraceServiceResponse Traces(ExportTraceServiceRequest request, ReadOnlyMemory<byte> body) => FanOutTraces(request, body);

    /// <summary>From gRPC, where the request came parsed: its wire form is written only for a destination that takes it as it came.</summary>
    public ExportTraceServiceResponse Traces(ExportTraceServiceRequest request) => FanOutTraces(request, body: null);

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

    // The request is ours alone once received: Datadog's copy is serialised first, then the same message gets the names
    // for the dashboard: no clone, and no serialisation at all for a Datadog that is not configured (bench/README.md).
    private ExportTraceServiceResponse FanOutTraces(ExportTraceServiceRequest request, ReadOnlyMemory<byte>? body)
    {
        destinations.Datadog?.Enqueue(new OtlpExport(OtlpSignal.Traces, body ?? request.ToByteArray()));
        destinations.Dashboard?.Enqueue(new OtlpExport(OtlpSignal.Traces, DatadogAttributes.AddInPlace(request).ToByteArray()));

        return new ExportTraceServiceResponse();
    }

    // Nothing changes a log or metric request on its way, so both destinations share its bytes.
    private void Both(OtlpExport export)
    {
        destinations.Datadog?.Enqueue(export);
        destinations.Dashboard?.Enqueue(export);
    }
}
