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
        destinations.Datadog?.Enqueue(new OtlpExport(OtlpSignal.Traces, request, body));
        if (destinations.Dashboard is { } dashboard)
        {
            var named = DatadogAttributes.AddTo(request);
            dashboard.Enqueue(new OtlpExport(OtlpSignal.Traces, named, named.ToByteArray()));
        }

        return new ExportTraceServiceResponse();
    }

    public ExportLogsServiceResponse Logs(ExportLogsServiceRequest request, ReadOnlyMemory<byte> body)
    {
        Both(new OtlpExport(OtlpSignal.Logs, request, body));
        return new ExportLogsServiceResponse();
    }

    public ExportMetricsServiceResponse Metrics(ExportMetricsServiceRequest request, ReadOnlyMemory<byte> body)
    {
        Both(new OtlpExport(OtlpSignal.Metrics, request, body));
        return new ExportMetricsServiceResponse();
    }

    // Nothing changes a log or metric request after this point, so both destinations can share it.
    private void Both(OtlpExport export)
    {
        destinations.Datadog?.Enqueue(export);
        destinations.Dashboard?.Enqueue(export);
    }
}
