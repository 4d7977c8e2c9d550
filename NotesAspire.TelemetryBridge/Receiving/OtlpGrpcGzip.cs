using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace NotesAspire.TelemetryBridge.Receiving;

/// <summary>
/// <c>grpc-encoding: gzip</c> as OTLP/HTTP takes it (<see cref="GzipBody"/>), in place of gRPC's own provider: that one
/// ends silently on a cut stream and inflates without limit, and what it throws on corrupt gzip reaches the sender as
/// <c>Unknown</c>. gRPC answers an RpcException thrown while it reads with that exception's status.
/// </summary>
public sealed class OtlpGrpcGzip(int maxBytes) : ICompressionProvider
{
    public string EncodingName => "gzip";

    // The bridge answers empty messages, uncompressed; this is here because the interface asks for it.
    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, compressionLevel ?? CompressionLevel.Fastest, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream)
    {
        // gRPC has the whole message in memory already: this copy is no larger than what it was sent.
        using var compressed = new MemoryStream();
        stream.CopyTo(compressed);
        MemoryStream? inflated;
        try
        {
            inflated = GzipBody.Inflate(new ArraySegment<byte>(compressed.GetBuffer(), 0, (int)compressed.Length), maxBytes);
        }
        catch (InvalidDataException exception)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"The message is not valid gzip: {exception.Message}"));
        }

        if (inflated is null)
        {
            // gRPC's own words for a message past the limit.
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size."));
        }

        inflated.Position = 0;
        return inflated;
    }
}
