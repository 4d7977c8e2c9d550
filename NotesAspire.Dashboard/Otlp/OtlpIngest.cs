using NotesAspire.Dashboard.Otlp.Proto;
using NotesAspire.Dashboard.Storage;

namespace NotesAspire.Dashboard.Otlp;

/// <summary>
/// What both receivers do with an accepted export, whatever it came over (gRPC or HTTP): hand it to the forwarder, keep
/// it in the store, and answer with OTLP's partial success when some of it was refused.
/// </summary>
internal sealed class OtlpIngest(TelemetryStore store, OtlpForwarder forwarder)
{
    public ExportTraceServiceResponse Traces(ExportTraceServiceRequest request)
    {
        forwarder.Forward(OtlpPaths.Traces, request);
        var rejected = store.AddSpans(request);
        return rejected == 0
            ? new ExportTraceServiceResponse()
            : new ExportTraceServiceResponse { PartialSuccess = new() { RejectedSpans = rejected, ErrorMessage = OtlpMessages.RejectedSpans } };
    }

    public ExportLogsServiceResponse Logs(ExportLogsServiceRequest request)
    {
        forwarder.Forward(OtlpPaths.Logs, request);
        var rejected = store.AddLogs(request);
        return rejected == 0
            ? new ExportLogsServiceResponse()
            : new ExportLogsServiceResponse { PartialSuccess = new() { RejectedLogRecords = rejected, ErrorMessage = OtlpMessages.RejectedLogRecords } };
    }

    public ExportMetricsServiceResponse Metrics(ExportMetricsServiceRequest request)
    {
        forwarder.Forward(OtlpPaths.Metrics, request);
        store.AddMetrics(request);
        return new ExportMetricsServiceResponse();
    }
}
