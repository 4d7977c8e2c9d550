using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;

namespace Dashboard.Ingest;

/// <summary>Posts ready-made OTLP bodies, as an SDK's exporter would, over OTLP/HTTP or OTLP/gRPC.</summary>
internal interface ISender : IDisposable
{
    Task SendAsync(byte[] body);
}

internal sealed class HttpSender(Uri otlpHttpUrl) : ISender
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private readonly HttpClient _client = new() { BaseAddress = otlpHttpUrl };

    public async Task SendAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body) { Headers = { ContentType = Protobuf } };
        using var response = await _client.PostAsync("/v1/traces", content);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _client.Dispose();
}

internal sealed class GrpcSender(Uri otlpGrpcUrl) : ISender
{
    // Bodies are already serialized, so the method passes bytes through unchanged.
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);
    private static readonly Method<byte[], byte[]> Export =
        new(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", Bytes, Bytes);

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(otlpGrpcUrl);

    public async Task SendAsync(byte[] body) => await _channel.CreateCallInvoker().AsyncUnaryCall(Export, null, new CallOptions(), body);

    public void Dispose() => _channel.Dispose();
}
