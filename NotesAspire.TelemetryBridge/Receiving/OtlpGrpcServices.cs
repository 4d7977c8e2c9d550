using Grpc.Core;
using NotesAspire.Dashboard.Otlp.Proto;

namespace NotesAspire.Dashboard.Otlp;

internal sealed class OtlpGrpcTraceService(OtlpIngest ingest) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingest.Traces(request));
}

internal sealed class OtlpGrpcLogsService(OtlpIngest ingest) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingest.Logs(request));
}

internal sealed class OtlpGrpcMetricsService(OtlpIngest ingest) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingest.Metrics(request));
}
