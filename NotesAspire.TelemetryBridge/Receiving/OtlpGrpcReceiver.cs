using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace NotesAspire.TelemetryBridge.Receiving;

/// <summary>
/// OTLP/gRPC's three Export methods, taking the request as its wire bytes: the bridge passes them on, so parsing them
/// into messages (what the generated service bases do) would be work thrown away. gRPC itself still enforces the size
/// limit, compressed or not, before a method runs.
/// </summary>
public sealed class OtlpGrpcReceiver(OtlpFanout fanout)
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    // Every Export answers an empty message (no partial success), which is zero bytes on the wire.
    private Task<byte[]> Export(OtlpSignal signal, byte[] body) => fanout.TryAccept(signal, body, out var refusal)
        ? Task.FromResult(Array.Empty<byte>())
        : throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, refusal));

    public sealed class Methods : IServiceMethodProvider<OtlpGrpcReceiver>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<OtlpGrpcReceiver> context)
        {
            Add(context, TraceService.Descriptor.FullName, OtlpSignal.Traces);
            Add(context, LogsService.Descriptor.FullName, OtlpSignal.Logs);
            Add(context, MetricsService.Descriptor.FullName, OtlpSignal.Metrics);
        }

        private static void Add(ServiceMethodProviderContext<OtlpGrpcReceiver> context, string service, OtlpSignal signal) =>
            context.AddUnaryMethod(
                new Method<byte[], byte[]>(MethodType.Unary, service, "Export", Bytes, Bytes),
                [],
                (receiver, body, _) => receiver.Export(signal, body));
    }
}
