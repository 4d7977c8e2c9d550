using Grpc.Core;
using Grpc.Net.Client;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>OTLP/gRPC through the clients generated from our protos: what Aspire's dashboard receives by default.</summary>
public sealed class OtlpGrpcSender : IOtlpSender
{
    // The codes OTLP/gRPC says to retry; ResourceExhausted too: the dashboard answers it when busy.
    private static readonly HashSet<StatusCode> Retryable =
        [StatusCode.Cancelled, StatusCode.DeadlineExceeded, StatusCode.Aborted, StatusCode.OutOfRange, StatusCode.Unavailable, StatusCode.DataLoss, StatusCode.ResourceExhausted];

    private readonly GrpcChannel _channel;
    private readonly TraceService.TraceServiceClient _traces;
    private readonly LogsService.LogsServiceClient _logs;
    private readonly MetricsService.MetricsServiceClient _metrics;
    private readonly Metadata _headers = [];
    private readonly TimeSpan _timeout;

    public OtlpGrpcSender(Uri endpoint, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan timeout)
    {
        Target = endpoint.AbsoluteUri;
        _timeout = timeout;
        foreach (var (name, value) in headers)
        {
            _headers.Add(name.ToLowerInvariant(), value);
        }

        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = timeout, EnableMultipleHttp2Connections = true },
            ThrowOperationCanceledOnCancellation = true,
        });
        _traces = new TraceService.TraceServiceClient(_channel);
        _logs = new LogsService.LogsServiceClient(_channel);
        _metrics = new MetricsService.MetricsServiceClient(_channel);
    }

    public string Target { get; }

    public async Task<SendResult> SendAsync(OtlpExport export, CancellationToken cancellationToken)
    {
        var options = new CallOptions(_headers, DateTime.UtcNow + _timeout, cancellationToken);
        try
        {
            switch (export.Message)
            {
                case ExportTraceServiceRequest traces:
                    await _traces.ExportAsync(traces, options);
                    break;
                case ExportLogsServiceRequest logs:
                    await _logs.ExportAsync(logs, options);
                    break;
                case ExportMetricsServiceRequest metrics:
                    await _metrics.ExportAsync(metrics, options);
                    break;
                default:
                    return SendResult.Rejected("unknown", $"not an OTLP export request: {export.Message.Descriptor.FullName}");
            }

            return SendResult.Sent;
        }
        catch (RpcException exception) when (Retryable.Contains(exception.StatusCode))
        {
            return SendResult.Retry($"{exception.StatusCode}: {exception.Status.Detail}");
        }
        catch (RpcException exception)
        {
            return SendResult.Rejected(exception.StatusCode.ToString(), $"it answered {exception.StatusCode}: {exception.Status.Detail}");
        }
    }

    public void Dispose() => _channel.Dispose();
}
