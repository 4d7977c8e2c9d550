using System.Buffers;
using System.Buffers.Binary;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace NotesAspire.TelemetryBridge.Receiving;

/// <summary>
/// Reads the 5-byte header of a gRPC request's message before gRPC does, and answers two framing errors gRPC reads
/// as exceptions of its own and answers <c>Unknown</c>, logging each: a compressed flag other than 0 and 1
/// (<c>InvalidArgument</c>), and a length of 2^31 or more (<c>ResourceExhausted</c>, as gRPC answers any length past
/// the limit). Nothing is consumed: gRPC reads the request as it came. It also leaves the size of a call's message to
/// gRPC: Kestrel's limit (the largest request, as for OTLP/HTTP) counts the message's header too, and ended calls within
/// gRPC's limit, or past it, with an exception answered <c>Unknown</c>. A declared length past both is refused at once.
/// </summary>
internal static class GrpcFrameCheck
{
    private const int HeaderBytes = 5;

    private static readonly Status TooLarge = new(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");

    public static IApplicationBuilder UseGrpcFrameCheck(this IApplicationBuilder app, int maxMessageBytes) => app.Use(async (context, next) =>
    {
        // Only a call routing gave one of our unary gRPC methods: an OTLP/HTTP request with a gRPC content type is not
        // one (it gets its 415), and a streaming call's client may wait for headers before it sends a message.
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { Method.Type: MethodType.Unary }
            && HttpProtocol.IsHttp2(context.Request.Protocol)
            && await RefusalAsync(context, maxMessageBytes + (long)HeaderBytes) is { } refusal)
        {
            // Trailers-only, as gRPC answers a call that fails before any message: the status comes with the headers.
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = ((int)refusal.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = refusal.Detail;
            return;
        }

        await next(context);
    });

    private static async Task<Status?> RefusalAsync(HttpContext context, long maxBodyBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBodyBytes)
        {
            return TooLarge;
        }

        // gRPC bounds the message itself (MaxReceiveMessageSize, from its header, before reading it); Kestrel's bound
        // would race it, ending the call with an exception wherever a read happened to take in more than the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var read = await request.BodyReader.ReadAtLeastAsync(HeaderBytes, request.HttpContext.RequestAborted);
        Span<byte> header = stackalloc byte[HeaderBytes];
        var complete = read.Buffer.Length >= HeaderBytes;
        if (complete)
        {
            read.Buffer.Slice(0, HeaderBytes).CopyTo(header);
        }

        request.BodyReader.AdvanceTo(read.Buffer.Start);
        if (!complete)
        {
            // Cut short: gRPC's own answer (Internal, "Incomplete message") says so.
            return null;
        }

        return header[0] > 1
            ? new Status(StatusCode.InvalidArgument, $"The message's compressed flag is {header[0]}; gRPC has only 0 and 1.")
            : BinaryPrimitives.ReadUInt32BigEndian(header[1..]) > int.MaxValue
                ? TooLarge
                : null;
    }
}
