using System.Buffers;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace NotesAspire.TelemetryBridge.Sending;

/// <summary>
/// OTLP/gRPC, what Aspire's dashboard receives by default. The queued wire bytes go out as they are, through the
/// services' method names from the generated descriptors: parsing them back into messages only to serialise them again
/// would cost CPU here and, worse, memory in the queue.
/// </summary>
public sealed class OtlpGrpcSender : IOtlpSender
{
    // The codes OTLP/gRPC says to retry; ResourceExhausted too (a busy receiver), unless it is about the message's size.
    private static readonly HashSet<StatusCode> Retryable =
        [StatusCode.Cancelled, StatusCode.DeadlineExceeded, StatusCode.Aborted, StatusCode.OutOfRange, StatusCode.Unavailable, StatusCode.DataLoss, StatusCode.ResourceExhausted];

    private static readonly Marshaller<OtlpExport> Request = new(
        (export, context) =>
        {
            context.SetPayloadLength(export.Body.Length);
            context.GetBufferWriter().Write(export.Body.Span);
            context.Complete();
        },
        _ => throw new NotSupportedException("The bridge only sends requests."));

    // The answer is at most a partial success: kept as bytes, read for what it rejected.
    private static readonly Marshaller<byte[]> Answer = new(_ => [], bytes => bytes);

    private static readonly Method<OtlpExport, byte[]> Traces = Export(TraceService.Descriptor.FullName);
    private static readonly Method<OtlpExport, byte[]> Logs = Export(LogsService.Descriptor.FullName);
    private static readonly Method<OtlpExport, byte[]> Metrics = Export(MetricsService.Descriptor.FullName);

    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;
    private readonly Metadata _headers = [];
    private readonly TimeSpan _timeout;

    public OtlpGrpcSender(Uri endpoint, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan timeout)
    {
        Target = endpoint.Shown();
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
        _invoker = _channel.CreateCallInvoker();
    }

    public string Target { get; }

    public async Task<SendResult> SendAsync(OtlpExport export, CancellationToken cancellationToken)
    {
        var method = export.Signal switch
        {
            OtlpSignal.Traces => Traces,
            OtlpSignal.Logs => Logs,
            _ => Metrics,
        };
        try
        {
            var answer = await _invoker.AsyncUnaryCall(method, null, new CallOptions(_headers, DateTime.UtcNow + _timeout, cancellationToken), export);
            return OtlpPartialSuccess.Of(export.Signal, answer) is { } partly ? SendResult.PartlySent(partly) : SendResult.Sent;
        }
        catch (RpcException exception) when (IsTooLarge(exception))
        {
            return SendResult.TooLarge(exception.StatusCode.ToString(), Answered(exception));
        }
        catch (RpcException exception) when (Retryable.Contains(exception.StatusCode))
        {
            return SendResult.Retry($"{exception.StatusCode}: {exception.Status.Detail}", RetryDelay(exception));
        }
        catch (RpcException exception)
        {
            return SendResult.Rejected(exception.StatusCode.ToString(), Answered(exception));
        }
    }

    public void Dispose() => _channel.Dispose();

    private static string Answered(RpcException exception) => $"it answered {exception.StatusCode}: {exception.Status.Detail}";

    private static Method<OtlpExport, byte[]> Export(string service) =>
        new(MethodType.Unary, service, "Export", Request, Answer);

    /// <summary>OTLP/gRPC says a client should wait as long as a busy receiver's RetryInfo asks, in the status's details.</summary>
    private static TimeSpan? RetryDelay(RpcException exception)
    {
        try
        {
            // Read from its fields, not Duration.ToTimeSpan, which throws on a duration that is not normalised.
            return exception.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay is { } delay
                ? TimeSpan.FromSeconds(Math.Clamp(delay.Seconds + delay.Nanos / 1e9, 0, TimeSpan.FromDays(1).TotalSeconds))
                : null;
        }
        catch (InvalidProtocolBufferException)
        {
            // Details that do not parse say nothing usable: the usual backoff applies.
            return null;
        }
    }

    /// <summary>A message over the receiver's size limit stays over it: sending it again cannot help, sending it in parts can.</summary>
    /// <remarks>.NET says "exceeds the maximum configured message size", Go "received message larger than max".</remarks>
    private static bool IsTooLarge(RpcException exception) =>
        exception.StatusCode == StatusCode.ResourceExhausted
        && (exception.Status.Detail.Contains("exceeds the maximum", StringComparison.OrdinalIgnoreCase)
            || exception.Status.Detail.Contains("larger than max", StringComparison.OrdinalIgnoreCase));
}
