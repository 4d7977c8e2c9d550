using System.IO.Compression;
using System.Net.Http.Headers;
using Google.Protobuf;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>OTLP requests built by hand, so each test says exactly what the bridge gets.</summary>
public static class Otlp
{
    public static ExportTraceServiceRequest Trace(params Span[] spans) => Trace(Resource("notes"), spans);

    public static ExportTraceServiceRequest Trace(Resource resource, params Span[] spans) => new()
    {
        ResourceSpans =
        {
            new ResourceSpans
            {
                Resource = resource,
                ScopeSpans = { new ScopeSpans { Scope = new InstrumentationScope { Name = "test" }, Spans = { spans } } },
            },
        },
    };

    public static Resource Resource(string service, params (string Key, string Value)[] attributes)
    {
        var resource = new Resource { Attributes = { Attribute("service.name", service) } };
        resource.Attributes.Add(attributes.Select(a => Attribute(a.Key, a.Value)));
        return resource;
    }

    public static Span Span(string name, Span.Types.SpanKind kind, params (string Key, string Value)[] attributes)
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
            SpanId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()[..8]),
            Name = name,
            Kind = kind,
            StartTimeUnixNano = 1_800_000_000_000_000_000UL,
            EndTimeUnixNano = 1_800_000_000_100_000_000UL,
        };
        span.Attributes.Add(attributes.Select(a => Attribute(a.Key, a.Value)));
        return span;
    }

    public static ExportLogsServiceRequest Log(string body) => new()
    {
        ResourceLogs =
        {
            new ResourceLogs
            {
                Resource = Resource("notes"),
                ScopeLogs = { new ScopeLogs { LogRecords = { new LogRecord { Body = new AnyValue { StringValue = body } } } } },
            },
        },
    };

    public static ExportMetricsServiceRequest Metric(string name) => new()
    {
        ResourceMetrics =
        {
            new ResourceMetrics
            {
                Resource = Resource("notes"),
                ScopeMetrics = { new ScopeMetrics { Metrics = { new Metric { Name = name } } } },
            },
        },
    };

    /// <summary>Every span of a trace export, in order.</summary>
    public static IEnumerable<Span> SpansOf(ExportTraceServiceRequest request) =>
        request.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans);

    public static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static string? Find(Span span, string key) =>
        span.Attributes.FirstOrDefault(a => a.Key == key)?.Value.StringValue;

    /// <summary>A length-delimited field, tag and length included (field numbers below 16).</summary>
    public static byte[] Field(int number, ReadOnlySpan<byte> content)
    {
        var length = new List<byte>();
        for (var rest = (uint)content.Length; ; rest >>= 7)
        {
            length.Add((byte)(rest < 0x80 ? rest : (rest & 0x7F) | 0x80));
            if (rest < 0x80)
            {
                break;
            }
        }

        return [(byte)((number << 3) | 2), .. length, .. content];
    }

    public static ByteArrayContent Protobuf(byte[] body) =>
        new(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } };

    /// <summary>A body already gzipped, sent as OTLP/HTTP's Content-Encoding: gzip.</summary>
    public static ByteArrayContent Gzipped(byte[] compressed)
    {
        var content = Protobuf(compressed);
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    public static ByteArrayContent Gzip(byte[] body, bool corrupt = false) => Gzipped(GzipBytes(body, corrupt));

    public static byte[] GzipBytes(byte[] body, bool corrupt = false)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(body);
        }

        var bytes = compressed.ToArray();
        if (corrupt)
        {
            bytes[bytes.Length / 2] ^= 0xFF;
            bytes[(bytes.Length / 2) + 1] ^= 0xFF;
        }

        return bytes;
    }
}
