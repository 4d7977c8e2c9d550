using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using NotesAspire.Dashboard.Otlp.Proto;
using OpenTelemetry.Exporter;

namespace NotesAspire.Tests.Dashboard;

public sealed class BadOtlpInputTests(DashboardFixture dashboard) : IClassFixture<DashboardFixture>, IDisposable
{
    private readonly HttpClient _otlp = new() { BaseAddress = dashboard.Server.OtlpHttpUrl };

    [Theory]
    [InlineData("/v1/traces")]
    [InlineData("/v1/logs")]
    [InlineData("/v1/metrics")]
    public async Task GarbageOtlpPayloadIsRejectedWithBadRequest(string path)
    {
        var response = await _otlp.PostAsync(path, Protobuf("this is not protobuf at all"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task TruncatedOtlpPayloadIsRejectedWithBadRequest()
    {
        var whole = ValidRequest(spans: 50).ToByteArray();

        var response = await _otlp.PostAsync("/v1/traces", Protobuf(whole[..(whole.Length / 2)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task HugeOtlpPayloadIsRejectedAsTooLarge()
    {
        var huge = new byte[17 * 1024 * 1024];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = Protobuf(huge) };
        // As curl and the collector do for big bodies: the server can refuse before the body is sent.
        request.Headers.ExpectContinue = true;

        var response = await _otlp.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task GzipBombIsRejectedAsTooLarge()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[20 * 1024 * 1024]);
        }

        var content = Protobuf(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        var response = await _otlp.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task GzippedPayloadIsAccepted()
    {
        var request = ValidRequest(spans: 3);
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            request.WriteTo(gzip);
        }

        var content = Protobuf(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        var response = await _otlp.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        var traceId = request.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.ToByteArray();
        Assert.Equal(3, (await dashboard.Api.GetTraceAsync(Convert.ToHexStringLower(traceId)))!.Spans.Count);
    }

    [Fact]
    public async Task JsonOtlpPayloadIsRejectedAsUnsupported()
    {
        var response = await _otlp.PostAsync("/v1/traces", new StringContent("{\"resourceSpans\":[]}", MediaTypeHeaderValue.Parse("application/json")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task SpansWithInvalidIdsAreReportedAsPartialSuccess()
    {
        var request = ValidRequest(spans: 2);
        request.ResourceSpans[0].ScopeSpans[0].Spans[1].TraceId = ByteString.CopyFrom(1, 2, 3);

        var response = await _otlp.PostAsync("/v1/traces", Protobuf(request.ToByteArray()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, answer.PartialSuccess.RejectedSpans);
    }

    [Fact]
    public async Task OtlpIsNotServedOnTheDashboardPortNorTheApiOnTheOtlpPort()
    {
        var onDashboardPort = await dashboard.Api.Http.PostAsync("/v1/traces", Protobuf(ValidRequest(spans: 1).ToByteArray()));
        var onOtlpPort = await _otlp.GetAsync("/api/traces");

        Assert.Equal(HttpStatusCode.NotFound, onDashboardPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onOtlpPort.StatusCode);
    }

    public void Dispose() => _otlp.Dispose();

    private async Task AssertStillServesAsync()
    {
        using var source = new ActivitySource($"after-bad-input-{Guid.NewGuid():N}");
        using var tracing = OtlpSenders.Tracing(source.Name, source.Name, dashboard.Server.OtlpGrpcUrl, OtlpExportProtocol.Grpc);
        string traceId;
        using (var activity = source.StartActivity("still alive")!)
        {
            traceId = activity.TraceId.ToHexString();
        }

        Assert.NotNull(await dashboard.Api.GetTraceAsync(traceId));
    }

    private static ByteArrayContent Protobuf(byte[] body) =>
        new(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } };

    private static ExportTraceServiceRequest ValidRequest(int spans)
    {
        var traceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray());
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "raw" } };
        for (var i = 1; i <= spans; i++)
        {
            scope.Spans.Add(new Span
            {
                TraceId = traceId,
                SpanId = ByteString.CopyFrom(BitConverter.GetBytes((long)i)),
                Name = $"span {i}",
                Kind = Span.Types.SpanKind.Internal,
                StartTimeUnixNano = 1_700_000_000_000_000_000UL + (ulong)i,
                EndTimeUnixNano = 1_700_000_000_000_100_000UL + (ulong)i,
            });
        }

        var resource = new Resource { Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "raw-sender" } } } };
        return new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { scope } } } };
    }
}
