using Google.Protobuf;
using NotesAspire.Dashboard.Otlp.Proto;

namespace Dashboard.Ingest;

/// <summary>
/// Serialized OTLP trace requests shaped like the services' (a server span with its client and database children),
/// made before timing so the clock measures the receiver, not the sender.
/// </summary>
internal static class Payloads
{
    public const int SpansPerTrace = 10;

    public static byte[][] Create(int requests, int spansPerRequest)
    {
        var random = new Random(42);
        var start = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        return Enumerable.Range(0, requests).Select(_ => Request(random, start, spansPerRequest).ToByteArray()).ToArray();
    }

    private static ExportTraceServiceRequest Request(Random random, ulong start, int spans)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore", Version = "10.0.0" } };
        ByteString traceId = ByteString.Empty, rootId = ByteString.Empty;
        for (var i = 0; i < spans; i++)
        {
            var isRoot = i % SpansPerTrace == 0;
            if (isRoot)
            {
                traceId = RandomBytes(random, 16);
            }

            var spanId = RandomBytes(random, 8);
            var begin = start + (ulong)(i % SpansPerTrace) * 1_000_000;
            var span = new Span
            {
                TraceId = traceId,
                SpanId = spanId,
                ParentSpanId = isRoot ? ByteString.Empty : rootId,
                Name = isRoot ? "POST /notes" : "postgresql",
                Kind = isRoot ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Client,
                StartTimeUnixNano = begin,
                EndTimeUnixNano = begin + 750_000,
                Attributes =
                {
                    Attribute("http.request.method", "POST"),
                    Attribute("http.route", "/notes"),
                    Attribute("url.path", "/notes"),
                    Attribute("server.address", "localhost"),
                    Attribute("network.protocol.version", "1.1"),
                    new KeyValue { Key = "http.response.status_code", Value = new AnyValue { IntValue = 200 } },
                },
            };
            scope.Spans.Add(span);
            rootId = isRoot ? spanId : rootId;
        }

        var resource = new Resource
        {
            Attributes =
            {
                Attribute("service.name", "notes"),
                Attribute("service.instance.id", "bench"),
                Attribute("service.version", "1.0.0"),
                Attribute("deployment.environment.name", "bench"),
                Attribute("telemetry.sdk.name", "opentelemetry"),
                Attribute("telemetry.sdk.language", "dotnet"),
            },
        };
        return new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { scope } } } };
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static ByteString RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return ByteString.CopyFrom(bytes);
    }
}
