using Grpc.Core;
using Grpc.Net.Client;

namespace NotesAspire.Tests.Dashboard;

public sealed class BadOtlpGrpcInputTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>, IDisposable
{
    // Raw bytes through the real gRPC client, so the payload can be anything a broken sender might send.
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);
    private static readonly Method<byte[], byte[]> ExportTraces =
        new(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", Bytes, Bytes);

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(dashboard.Server.OtlpGrpcUrl);

    [Fact]
    public async Task GarbageOverGrpcIsRefusedAndTheReceiverKeepsServing()
    {
        var call = _channel.CreateCallInvoker().AsyncUnaryCall(ExportTraces, null, new CallOptions(), "this is not protobuf at all"u8.ToArray());

        var refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
        Assert.Empty(await _channel.CreateCallInvoker().AsyncUnaryCall(ExportTraces, null, new CallOptions(), []));
    }

    [Fact]
    public async Task HugeMessageOverGrpcIsRefusedAsResourceExhausted()
    {
        var call = _channel.CreateCallInvoker().AsyncUnaryCall(ExportTraces, null, new CallOptions(), new byte[17 * 1024 * 1024]);

        var refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Empty(await _channel.CreateCallInvoker().AsyncUnaryCall(ExportTraces, null, new CallOptions(), []));
    }

    public void Dispose() => _channel.Dispose();
}
