using Google.Protobuf;
using Grpc.Core;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace NotesAspire.TelemetryBridge.Receiving;

// The generated bases already refuse what is not the message (and what is over MaxReceiveMessageSize) before these run.

public sealed class OtlpGrpcTraceService(OtlpFanout fanout) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
        Task.FromResult(fanout.Traces(request));
}

public sealed class OtlpGrpcLogsService(OtlpFanout fanout) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(fanout.Logs(request, request.ToByteArray()));
}

public sealed class OtlpGrpcMetricsService(OtlpFanout fanout) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(fanout.Metrics(request, request.ToByteArray()));
}
