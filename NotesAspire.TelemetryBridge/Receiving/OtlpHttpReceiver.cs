using System.Buffers;
using System.IO.Pipelines;
using NotesAspire.TelemetryBridge.Otlp;

namespace NotesAspire.TelemetryBridge.Receiving;

/// <summary>
/// OTLP/HTTP with protobuf bodies (https://opentelemetry.io/docs/specs/otlp/#otlphttp). Whatever a sender posts, it
/// gets an answer: 400 for a body that is not the message, 413 past the size limit, 415 for JSON or an unknown encoding.
/// </summary>
internal static class OtlpHttpReceiver
{
    private const string Protobuf = "application/x-protobuf";

    /// <summary>
    /// The most a body's buffer takes before its bytes arrive: enough for a services' export (about 225 KB for 512
    /// spans) in one piece. A larger body's buffer grows as it comes; what a sender merely declares (up to the 16 MiB
    /// limit) would otherwise be taken at once, by every connection that declares it and sends nothing.
    /// </summary>
    private const int InitialBufferBytes = 256 * 1024;

    public static IEndpointConventionBuilder MapOtlpHttp(this IEndpointRouteBuilder endpoints, OtlpFanout fanout, int maxRequestBytes)
    {
        var group = endpoints.MapGroup("/");
        group.MapPost(OtlpPaths.Traces, (HttpRequest request) => Receive(request, OtlpSignal.Traces, maxRequestBytes, fanout));
        group.MapPost(OtlpPaths.Logs, (HttpRequest request) => Receive(request, OtlpSignal.Logs, maxRequestBytes, fanout));
        group.MapPost(OtlpPaths.Metrics, (HttpRequest request) => Receive(request, OtlpSignal.Metrics, maxRequestBytes, fanout));
        return group;
    }

    private static async Task<IResult> Receive(HttpRequest request, OtlpSignal signal, int maxRequestBytes, OtlpFanout fanout)
    {
        if (!IsProtobuf(request.ContentType))
        {
            var received = request.ContentType is { Length: > 0 } contentType ? $"this request's is '{contentType}'" : "this request has none";
            return Results.Text($"Content-Type must be {Protobuf} (OTLP/JSON is not supported); {received}.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Text("Content-Encoding must be gzip or none.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength > maxRequestBytes)
        {
            return TooLarge(maxRequestBytes);
        }

        byte[]? bytes;
        try
        {
            bytes = await ReadBodyAsync(request.BodyReader, gzip, request.ContentLength, maxRequestBytes, request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            return Results.Text($"The body is not valid gzip: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (BadHttpRequestException e)
        {
            return Results.Text(e.Message, statusCode: e.StatusCode);
        }
        catch (IOException e)
        {
            // Kestrel reports most framing errors as BadHttpRequestException, but a chunk size too large for a long as
            // a plain IOException: the body is as unreadable either way. (A sender gone mid-body gets this answer too,
            // which it never reads.)
            return Results.Text($"The body could not be read: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (bytes is null)
        {
            return TooLarge(maxRequestBytes);
        }

        // An accepted export is answered with an empty message (no partial success): zero bytes on the wire.
        return fanout.TryAccept(signal, bytes, out var refusal)
            ? Results.Bytes([], Protobuf)
            : Results.Text(refusal, statusCode: StatusCodes.Status400BadRequest);
    }

    private static bool IsProtobuf(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(Protobuf, StringComparison.OrdinalIgnoreCase);

    private static IResult TooLarge(int maxRequestBytes) =>
        Results.Text($"The body is larger than {maxRequestBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>
    /// The (inflated) body, exactly its bytes (the queues keep them for a while, not a buffer's spare room), or null past
    /// <paramref name="maxBytes"/>: a gzip bomb stops there too. Read from Kestrel's buffers into an array that is not
    /// zeroed first, since every byte the body fills is written: a body that declares its length, up to 256 KiB (a
    /// services' export), is copied once, into the very array the queues keep, where a chunk and a stream between them
    /// took two copies and zeroed both. A longer body, or one without a length, is copied again as its buffer grows.
    /// (Less work, but not measurably less of the bridge's CPU: bench/README.md, item 22.)
    /// </summary>
    private static async Task<byte[]?> ReadBodyAsync(PipeReader body, bool gzip, long? declaredBytes, int maxBytes, CancellationToken cancellationToken)
    {
        // Kestrel holds a body to the length it declares (checked against maxBytes before), so the buffer need not outgrow it.
        var largest = (int)Math.Min(declaredBytes ?? maxBytes, maxBytes);
        var buffer = GC.AllocateUninitializedArray<byte>(declaredBytes is null ? 0 : Math.Min(largest, InitialBufferBytes));
        var length = 0;
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var received = result.Buffer;
            if (length + received.Length > maxBytes)
            {
                body.AdvanceTo(received.End);
                return null;
            }

            if (length + received.Length > buffer.Length)
            {
                var needed = length + received.Length;
                var grown = GC.AllocateUninitializedArray<byte>((int)Math.Min(Math.Max(2L * buffer.Length, needed), Math.Max(largest, needed)));
                buffer.AsSpan(0, length).CopyTo(grown);
                buffer = grown;
            }

            received.CopyTo(buffer.AsSpan(length));
            length += (int)received.Length;
            body.AdvanceTo(received.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        if (!gzip)
        {
            return length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
        }

        // Whole before it is inflated: only then can the gzip stream be seen to end where the body does.
        var inflated = GzipBody.Inflate(new ArraySegment<byte>(buffer, 0, length), maxBytes);
        return inflated is null ? null : inflated.Length == inflated.Capacity ? inflated.GetBuffer() : inflated.ToArray();
    }
}
