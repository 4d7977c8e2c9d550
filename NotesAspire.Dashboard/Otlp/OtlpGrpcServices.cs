using Grpc.Core;
using NotesAspire.Dashboard.Otlp.Proto;
using NotesAspire.Dashboard.Storage;

namespace NotesAspire.Dashboard.Otlp;

internal sealed class OtlpGrpcTraceService(TelemetryStore store, OtlpForwarder forwarder) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        forwarder.Forward(OtlpPaths.Traces, request);
        var rejected = store.AddSpans(request);
        return Task.FromResult(rejected == 0
            ? new ExportTraceServiceResponse()
            : new ExportTraceServiceResponse { PartialSuccess = new() { RejectedSpans = rejected, ErrorMessage = OtlpMessages.RejectedSpans } });
    }
}

internal sealed class OtlpGrpcLogsService(TelemetryStore store, OtlpForwarder forwarder) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
    {
        forwarder.Forward(OtlpPaths.Logs, request);
        var rejected = store.AddLogs(request);
        return Task.FromResult(rejected == 0
            ? new ExportLogsServiceResponse()
            : new ExportLogsServiceResponse { PartialSuccess = new() { RejectedLogRecords = rejected, ErrorMessage = OtlpMessages.RejectedLogRecords } });
    }
}

internal sealed class OtlpGrpcMetricsService(TelemetryStore store, OtlpForwarder forwarder) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        forwarder.Forward(OtlpPaths.Metrics, request);
        store.AddMetrics(request);
        return Task.FromResult(new ExportMetricsServiceResponse());
    }
}
