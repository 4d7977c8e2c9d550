using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.Tests.Infrastructure;
using static NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types;

namespace NotesAspire.Tests.TelemetryBridge;

public sealed class BadInputTests
{
    // Raw bytes through the real gRPC client, so the payload can be anything a broken sender might send.
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);
    private static readonly Method<byte[], byte[]> ExportTraces =
        new(MethodType.Unary, "opentelemetry.proto.collector.trace.v1.TraceService", "Export", Bytes, Bytes);

    [Fact]
    public async Task ABodyThatIsNotAnExportGets400AndReachesNoDestination()
    {
        await using var rig = await BridgeRig.StartAsync();
        var http = rig.Bridge.Http;
        var whole = Otlp.Trace(Enumerable.Range(0, 50).Select(i => Otlp.Span($"span {i}", SpanKind.Internal)).ToArray()).ToByteArray();

        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("v1/traces", Otlp.Protobuf("this is not protobuf at all"u8.ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("v1/logs", Otlp.Protobuf("this is not protobuf at all"u8.ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("v1/traces", Otlp.Protobuf(whole[..(whole.Length / 2)]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("v1/traces", Otlp.Gzip(whole[..(whole.Length / 2)], corrupt: true))).StatusCode);
        await AssertNothingReceivedAndStillServesAsync(rig);
    }

    [Fact]
    public async Task LogsAndMetricsDamagedWhereTheDashboardWouldReadThemGet400AndReachNoDestination()
    {
        await using var rig = await BridgeRig.StartAsync();
        var http = rig.Bridge.Http;
        // A resource's schema URL that is not UTF-8.
        byte[] logs = [0x0A, 0x05, 0x1A, 0x03, 0xFF, 0xFF, 0xFF];
        // A gauge's data point whose attributes are not a key and value.
        byte[] metrics = [0x0A, 0x0E, 0x12, 0x0C, 0x12, 0x0A, 0x0A, 0x01, 0x6D, 0x2A, 0x05, 0x0A, 0x03, 0x3A, 0x01, 0xFF];
        // A resource's entity reference whose type is not UTF-8.
        byte[] entity = [0x0A, 0x07, 0x0A, 0x05, 0x1A, 0x03, 0x12, 0x01, 0xFF];

        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("v1/logs", Otlp.Protobuf(logs))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("v1/metrics", Otlp.Protobuf(metrics))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("v1/logs", Otlp.Protobuf(entity))).StatusCode);
        await AssertNothingReceivedAndStillServesAsync(rig);
    }

    [Fact]
    public async Task MetricsWithDataPointsAttributesAndExemplarsAreTaken()
    {
        await using var rig = await BridgeRig.StartAsync();
        var export = Otlp.Metric("http.server.request.duration");
        var metric = export.ResourceMetrics[0].ScopeMetrics[0].Metrics[0];
        metric.Histogram = new Histogram
        {
            AggregationTemporality = 2,
            DataPoints =
            {
                new HistogramDataPoint
                {
                    Attributes = { Otlp.Attribute("http.route", "/notes/{id}") },
                    Count = 3,
                    Sum = 0.25,
                    BucketCounts = { 1, 2 },
                    ExplicitBounds = { 0.1 },
                    Exemplars = { new Exemplar { AsDouble = 0.2, TraceId = ByteString.CopyFrom(new byte[16]), SpanId = ByteString.CopyFrom(new byte[8]) } },
                },
            },
        };

        Assert.Equal(HttpStatusCode.OK, (await rig.Bridge.Http.PostAsync("v1/metrics", Otlp.Protobuf(export.ToByteArray()))).StatusCode);
    }

    [Fact]
    public async Task ABodyPastTheLimitGets413WhenAnnouncedAndWhenInflated()
    {
        await using var rig = await BridgeRig.StartAsync();
        var http = rig.Bridge.Http;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.PostAsync("v1/traces", Otlp.Gzip(new byte[20 * 1024 * 1024]))).StatusCode);
        using var huge = new HttpRequestMessage(HttpMethod.Post, "v1/traces") { Content = Otlp.Protobuf(new byte[17 * 1024 * 1024]) };
        huge.Headers.ExpectContinue = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.SendAsync(huge)).StatusCode);
        await AssertNothingReceivedAndStillServesAsync(rig);
    }

    [Fact]
    public async Task GrpcGarbageGetsInvalidArgumentAndTooMuchGetsResourceExhausted()
    {
        await using var rig = await BridgeRig.StartAsync();
        var invoker = rig.Bridge.Grpc.CreateCallInvoker();

        var garbage = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(ExportTraces, null, new CallOptions(), "this is not protobuf at all"u8.ToArray()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, garbage.StatusCode);
        Assert.Contains("not an OTLP Traces export", garbage.Status.Detail);
        var tooBig = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(ExportTraces, null, new CallOptions(), new byte[17 * 1024 * 1024]).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, tooBig.StatusCode);
        // A gzip bomb: small on the wire, over the limit once inflated.
        var compressed = new Metadata { { "grpc-internal-encoding-request", "gzip" } };
        var bomb = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(ExportTraces, null, new CallOptions(compressed), new byte[20 * 1024 * 1024]).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, bomb.StatusCode);
        await AssertNothingReceivedAndStillServesAsync(rig);
    }

    [Fact]
    public async Task AGrpcExportOfTheLargestSizeIsTakenAndOneByteMoreIsNot()
    {
        // gRPC's limit counts the message; the HTTP/2 body also carries the message's 5-byte frame header.
        const int Largest = 65_536;
        await using var rig = await BridgeRig.StartAsync(new Dictionary<string, string> { ["Bridge__MaxRequestBytes"] = $"{Largest}" });
        var invoker = rig.Bridge.Grpc.CreateCallInvoker();

        await invoker.AsyncUnaryCall(ExportTraces, null, new CallOptions(), ExportOfSize(Largest)).ResponseAsync;
        var over = await Assert.ThrowsAsync<RpcException>(() => invoker.AsyncUnaryCall(ExportTraces, null, new CallOptions(), ExportOfSize(Largest + 1)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, over.StatusCode);
        // A sender that declares its body's length, past the limit: refused before it is read.
        Assert.Equal(StatusCode.ResourceExhausted, (await SendFrameAsync(rig.Bridge, Frame(0, ExportOfSize(Largest + 1)))).Status);
        Assert.True(await Eventually.IsTrue(() => rig.Agent.Spans.Any(span => span.Name == "padded")), rig.Bridge.Output);
        Assert.DoesNotContain("   at ", rig.Bridge.Output);
    }

    /// <summary>A trace export of exactly <paramref name="size"/> bytes, padded in an attribute no name is made of.</summary>
    private static byte[] ExportOfSize(int size)
    {
        for (var padding = size - 200; padding < size; padding++)
        {
            var export = Otlp.Trace(Otlp.Span("padded", SpanKind.Internal, ("padding", new string('x', padding)))).ToByteArray();
            if (export.Length == size)
            {
                return export;
            }
        }

        throw new InvalidOperationException($"No padding makes an export of {size} bytes.");
    }

    [Fact]
    public async Task AWrongMethodGets405WithTheMethodsThePathTakes()
    {
        await using var rig = await BridgeRig.StartAsync();
        var http = rig.Bridge.Http;
        foreach (var (method, path, allowed) in new[]
        {
            ("GET", "v1/traces", "POST"), ("PUT", "v1/logs", "POST"), ("HEAD", "v1/metrics", "POST"), ("OPTIONS", "v1/traces", "POST"),
            ("POST", "api/stats", "GET, HEAD"), ("POST", "health", "GET, HEAD"), ("DELETE", "alive", "GET, HEAD"),
        })
        {
            using var answer = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.True(answer.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} /{path}: {answer.StatusCode}");
            Assert.Equal(allowed, answer.Content.Headers.Allow.Count > 0 ? string.Join(", ", answer.Content.Headers.Allow) : answer.Headers.GetValues("Allow").Single());
            if (method != "HEAD")
            {
                Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("alive")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health")).StatusCode);
    }

    [Fact]
    public async Task AWrongContentTypeGets415ThatNamesIt()
    {
        await using var rig = await BridgeRig.StartAsync();
        var body = Otlp.Trace(Otlp.Span("typed", SpanKind.Internal)).ToByteArray();
        var none = await rig.Bridge.Http.PostAsync("v1/traces", new ByteArrayContent(body));
        var other = await rig.Bridge.Http.PostAsync("v1/traces", new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/protobuf") } });
        // gRPC's type on the OTLP/HTTP path: a wrong setting of an exporter, not a gRPC call to frame-check.
        var grpc = await rig.Bridge.Http.PostAsync("v1/traces", new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } });
        var json = await rig.Bridge.Http.PostAsync("v1/traces", new StringContent("{\"resourceSpans\":[]}", MediaTypeHeaderValue.Parse("application/json")));

        Assert.Equal(
            (HttpStatusCode.UnsupportedMediaType, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.UnsupportedMediaType),
            (none.StatusCode, other.StatusCode, grpc.StatusCode, json.StatusCode));
        Assert.EndsWith("this request has none.", await none.Content.ReadAsStringAsync());
        Assert.EndsWith("this request's is 'application/protobuf'.", await other.Content.ReadAsStringAsync());
        Assert.EndsWith("this request's is 'application/grpc'.", await grpc.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SendersThatDeclareTheLargestBodyAndSendNoneCostTheBridgeLittleMemory()
    {
        await using var rig = await BridgeRig.StartAsync();
        var before = LinuxProcesses.PeakResidentBytes(rig.Bridge.ProcessId);

        // Rounds, so that memory the bridge freed is taken again (the first use of fresh memory leaves it untouched):
        // taking what each sender declares would be 64 x 16 MiB, a gigabyte, a round.
        const string DeclaresTheLimitSendsOneByte =
            "POST /v1/traces HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/x-protobuf\r\nContent-Length: 16777216\r\n\r\nx";
        for (var round = 0; round < 3; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => StatusLineOfRawRequestAsync(rig, DeclaresTheLimitSendsOneByte)));
            // Answered once the bridge stopped waiting for the rest (Kestrel's minimum data rate): each was taken in.
            Assert.All(answers, answer => Assert.Equal("HTTP/1.1 408 Request Timeout", answer));
        }

        var grown = LinuxProcesses.PeakResidentBytes(rig.Bridge.ProcessId) - before;
        Assert.True(grown < 256 * 1024 * 1024, $"The bridge's peak memory grew by {grown / (1024 * 1024)} MiB.");
        Assert.Equal(0, (await rig.Bridge.StatsAsync("datadog")).Received);
    }

    [Theory]
    [InlineData("FFFFFFFFFFFFFFFF")] // past a long: Kestrel's IOException, not its BadHttpRequestException
    [InlineData("ZZZ")]
    public async Task AnUnreadableChunkSizeGets400(string chunkSize)
    {
        await using var rig = await BridgeRig.StartAsync();

        var answer = await StatusLineOfRawRequestAsync(rig,
            "POST /v1/traces HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/x-protobuf\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkSize + "\r\n");

        Assert.Equal("HTTP/1.1 400 Bad Request", answer);
        Assert.Equal(0, (await rig.Bridge.StatsAsync("datadog")).Received);
    }

    /// <summary>
    /// The status line the bridge answers a request with, written as a broken sender writes it: HttpClient writes only
    /// well-formed requests (whole chunks, a body as long as it declares).
    /// </summary>
    private static Task<string?> StatusLineOfRawRequestAsync(BridgeRig rig, string request) =>
        RawHttp.SendAsync(rig.Bridge.Http.BaseAddress!.Port, request, answer => answer.ReadLineAsync());

    [Fact]
    public async Task AGzipBodyThatDoesNotEndWhereTheBodyDoesIsRefused()
    {
        await using var rig = await BridgeRig.StartAsync();
        var first = Otlp.Trace(Otlp.Span("first half", SpanKind.Internal)).ToByteArray();
        var second = Otlp.Trace(Otlp.Span("second half", SpanKind.Internal)).ToByteArray();

        // Cut at a flush point, the body inflates to a whole export of its own: GZipStream ends there without a word.
        using var compressed = new MemoryStream();
        byte[] cut;
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(first);
            gzip.Flush();
            cut = compressed.ToArray();
            gzip.Write(second);
        }

        var whole = compressed.ToArray();
        foreach (var body in new[] { cut, whole[..^8], [.. whole, .. "trailing"u8.ToArray()], [.. whole, .. whole] })
        {
            var answer = await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Gzipped(body));
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Contains("does not end where the body does", await answer.Content.ReadAsStringAsync());
        }

        var overGrpc = await SendFrameAsync(rig.Bridge, Frame(1, cut), "gzip");
        Assert.Equal(StatusCode.InvalidArgument, overGrpc.Status);
        Assert.Contains("does not end where the body does", overGrpc.Message);
        Assert.Equal(0, (await rig.Bridge.StatsAsync("datadog")).Received);

        Assert.Equal(HttpStatusCode.OK, (await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Gzipped(whole))).StatusCode);
        // Nothing at all is what .NET's GZipStream writes for an empty body: taken as an empty export, as without gzip.
        Assert.Equal(HttpStatusCode.OK, (await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Gzipped([]))).StatusCode);
        Assert.Equal((StatusCode.OK, ""), await SendFrameAsync(rig.Bridge, Frame(1, whole), "gzip"));
        Assert.True(await Eventually.IsTrue(() => rig.Agent.Spans.Count() == 4), rig.Bridge.Output);
    }

    [Fact]
    public async Task CorruptGzipOverGrpcIsInvalidArgument()
    {
        await using var rig = await BridgeRig.StartAsync();
        var corrupt = Otlp.GzipBytes(Otlp.Trace(Otlp.Span("corrupt", SpanKind.Internal)).ToByteArray(), corrupt: true);

        var answer = await SendFrameAsync(rig.Bridge, Frame(1, corrupt), "gzip");

        Assert.Equal(StatusCode.InvalidArgument, answer.Status);
        Assert.StartsWith("The message is not valid gzip", answer.Message);
    }

    [Fact]
    public async Task NoValueIsTakenNestedDeeperThanTheWholeRequestsParserTakes()
    {
        await using var rig = await BridgeRig.StartAsync();
        foreach (var place in new[] { "span", "resource", "scope", "event", "link" })
        {
            // The deepest nesting the generated parser of the whole request takes (the trace API sender's, the dashboard's).
            var deepest = Enumerable.Range(1, 120).Last(levels => Parses(Nested(place, levels)));

            Assert.Equal(HttpStatusCode.OK, (await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Nested(place, deepest)))).StatusCode);
            var deeper = await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(Nested(place, deepest + 1)));
            Assert.True(deeper.StatusCode == HttpStatusCode.BadRequest, $"{place}: {deepest + 1} levels got {deeper.StatusCode}");
        }
    }

    /// <summary>An export with one attribute of arrays nested <paramref name="levels"/> deep, on a span, its resource, its scope, an event or a link.</summary>
    private static byte[] Nested(string place, int levels)
    {
        var value = new AnyValue { StringValue = "deep" };
        for (var level = 0; level < levels; level++)
        {
            value = new AnyValue { ArrayValue = new ArrayValue { Values = { value } } };
        }

        var attribute = new KeyValue { Key = "nested", Value = value };
        var span = Otlp.Span("nested", SpanKind.Internal);
        var request = Otlp.Trace(span);
        var attributes = place switch
        {
            "span" => span.Attributes,
            "resource" => request.ResourceSpans[0].Resource.Attributes,
            "scope" => request.ResourceSpans[0].ScopeSpans[0].Scope.Attributes,
            "event" => AddEvent(span).Attributes,
            _ => AddLink(span).Attributes,
        };
        attributes.Add(attribute);
        return request.ToByteArray();

        static Span.Types.Event AddEvent(Span span)
        {
            var added = new Span.Types.Event { Name = "nested" };
            span.Events.Add(added);
            return added;
        }

        static Span.Types.Link AddLink(Span span)
        {
            var added = new Span.Types.Link { TraceId = span.TraceId, SpanId = span.SpanId };
            span.Links.Add(added);
            return added;
        }
    }

    private static bool Parses(byte[] request)
    {
        try
        {
            ExportTraceServiceRequest.Parser.ParseFrom(request);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }

    [Fact]
    public async Task TextThatIsNotUtf8IsRefusedWhereverASpanCarriesIt()
    {
        await using var rig = await BridgeRig.StartAsync();
        foreach (var place in new[] { "name", "trace state", "attribute key", "attribute value", "value the naming reads", "replaced name", "replaced key", "replaced value", "link", "resource schema", "scope schema" })
        {
            var export = WithText(place, Placeholder);
            Assert.True(Parses(export), place);

            // The same length, so the framing stays whole: only the text is broken, and the whole request's parser (the
            // dashboard's) refuses it.
            var broken = export.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Placeholder));
            export[broken + 3] = 0xFF;
            Assert.False(Parses(export), place);

            var answer = await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Protobuf(export));
            var said = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.BadRequest && said.Contains("UTF-8", StringComparison.Ordinal), $"{place}: {answer.StatusCode} {said}");
        }

        await AssertNothingReceivedAndStillServesAsync(rig);
    }

    private const string Placeholder = "PLACEHOLDER";

    /// <summary>An export of one span that carries <paramref name="text"/> in <paramref name="place"/>.</summary>
    private static byte[] WithText(string place, string text)
    {
        if (place == "replaced name")
        {
            // A span's name given twice, the text in the first: the last one counts, but the dashboard's parser reads both.
            var spanBytes = (byte[])[.. Otlp.Field(5, Encoding.UTF8.GetBytes(text)), .. Otlp.Span("a span", SpanKind.Server).ToByteArray()];
            return Otlp.Field(1, Otlp.Field(2, Otlp.Field(2, spanBytes)));
        }

        if (place is "replaced key" or "replaced value")
        {
            // A key or value given twice in one attribute, the text in the first: the last one counts, but the
            // dashboard's parser reads both. Only raw bytes can say that.
            byte[] value = Otlp.Field(1, Encoding.UTF8.GetBytes(place == "replaced value" ? text : "value"));
            var attribute = place == "replaced key"
                ? [.. Otlp.Field(1, Encoding.UTF8.GetBytes(text)), .. Otlp.Field(1, "key"u8), .. Otlp.Field(2, value)]
                : (byte[])[.. Otlp.Field(1, "key"u8), .. Otlp.Field(2, value), .. Otlp.Field(2, Otlp.Field(1, "last"u8))];
            var spanBytes = (byte[])[.. Otlp.Span("a span", SpanKind.Server).ToByteArray(), .. Otlp.Field(9, attribute)];
            return Otlp.Field(1, Otlp.Field(2, Otlp.Field(2, spanBytes)));
        }

        var span = Otlp.Span(place == "name" ? text : "a span", SpanKind.Server);
        var request = Otlp.Trace(span);
        switch (place)
        {
            case "trace state":
                span.TraceState = text;
                break;
            case "attribute key":
                span.Attributes.Add(Otlp.Attribute(text, "value"));
                break;
            case "attribute value":
                span.Attributes.Add(Otlp.Attribute("key", text));
                break;
            case "value the naming reads":
                span.Attributes.Add(Otlp.Attribute("http.route", text));
                break;
            case "link":
                span.Links.Add(new Span.Types.Link { TraceId = span.TraceId, SpanId = span.SpanId, Attributes = { Otlp.Attribute("key", text) } });
                break;
            case "resource schema":
                request.ResourceSpans[0].SchemaUrl = text;
                break;
            case "scope schema":
                request.ResourceSpans[0].ScopeSpans[0].SchemaUrl = text;
                break;
        }

        return request.ToByteArray();
    }

    [Fact]
    public async Task FramingErrorsOverGrpcGetTheirOwnStatusAndNoStackTrace()
    {
        await using var rig = await BridgeRig.StartAsync();
        var message = Otlp.Trace(Otlp.Span("framed", SpanKind.Internal)).ToByteArray();

        Assert.Equal(StatusCode.InvalidArgument, (await SendFrameAsync(rig.Bridge, Frame(7, message))).Status);
        Assert.Equal(StatusCode.ResourceExhausted, (await SendFrameAsync(rig.Bridge, Frame(0, [], declaredLength: 0x80000000))).Status);
        Assert.Equal(StatusCode.ResourceExhausted, (await SendFrameAsync(rig.Bridge, Frame(0, [], declaredLength: uint.MaxValue))).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await SendFrameAsync(rig.Bridge, Frame(1, Otlp.GzipBytes(message, corrupt: true)), "gzip")).Status);

        Assert.Equal((StatusCode.OK, ""), await SendFrameAsync(rig.Bridge, Frame(0, message)));
        Assert.True(await Eventually.IsTrue(() => rig.Agent.Spans.Any(span => span.Name == "framed")), rig.Bridge.Output);
        Assert.DoesNotContain("   at ", rig.Bridge.Output);
    }

    /// <summary>A gRPC message's frame: the compressed flag, the length (big-endian) and the message.</summary>
    private static byte[] Frame(byte flag, byte[] message, uint? declaredLength = null)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>
    /// One Export call written frame and all, as a broken sender writes it (the gRPC client only writes good frames):
    /// the grpc-status and grpc-message it is answered.
    /// </summary>
    private static async Task<(StatusCode Status, string Message)> SendFrameAsync(BridgeProcess bridge, byte[] frame, string? encoding = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{bridge.Grpc.Target}{ExportTraces.FullName}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
        };
        request.Headers.TE.ParseAdd("trailers");
        if (encoding is not null)
        {
            request.Headers.Add("grpc-encoding", encoding);
        }

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        // A refusal before any message is trailers-only: its status comes with the headers.
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var values) || response.Headers.TryGetValues(name, out values) ? values.Single() : null;
        return ((StatusCode)int.Parse(Header("grpc-status")!, System.Globalization.CultureInfo.InvariantCulture), Uri.UnescapeDataString(Header("grpc-message") ?? ""));
    }

    /// <summary>Nothing refused reached a destination, and the bridge still takes a good request, gzipped, to both.</summary>
    private static async Task AssertNothingReceivedAndStillServesAsync(BridgeRig rig)
    {
        var datadog = await rig.Bridge.StatsAsync("datadog");
        var dashboard = await rig.Bridge.StatsAsync("dashboard");
        Assert.Equal((0, 0), (datadog.Received, dashboard.Received));

        var good = Otlp.Trace(Otlp.Span("after the bad input", SpanKind.Internal));
        Assert.Equal(HttpStatusCode.OK, (await rig.Bridge.Http.PostAsync("v1/traces", Otlp.Gzip(good.ToByteArray()))).StatusCode);
        Assert.True(await Eventually.IsTrue(() => rig.Agent.Accepted.Count == 1 && rig.Dashboard.Traces.Count == 1), rig.Bridge.Output);
        Assert.Equal("after the bad input", rig.Agent.Spans.Single().Name);
    }
}
