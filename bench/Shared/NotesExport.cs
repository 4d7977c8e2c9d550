using Google.Protobuf;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using SpanKind = NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types.SpanKind;

namespace TelemetryBridge.Shared;

/// <summary>
/// A trace export shaped like the ones notes sends under load, for the bridge's benchmarks: 512 spans (the SDK's default
/// batch; ServiceDefaults' is 2,048), half server spans with ASP.NET Core's ten attributes, half PostgreSQL spans with
/// Npgsql's seven. Linked into each bench project that needs it, so that they all measure the same export.
/// </summary>
internal static class NotesExport
{
    public const int Spans = 512;

    /// <param name="distinct">No two spans alike (a route and a query of their own): the worst case for the names the bridge remembers within a request.</param>
    /// <param name="spans">The export's size, for another batch size than the SDK's default.</param>
    public static ExportTraceServiceRequest Build(bool distinct = false, int spans = Spans)
    {
        var random = new Random(42);
        var resource = new Resource
        {
            Attributes =
            {
                Attribute("service.name", "notes"),
                Attribute("service.version", "1.0.0"),
                Attribute("service.instance.id", Guid.NewGuid().ToString()),
                Attribute("deployment.environment.name", "development"),
                Attribute("telemetry.sdk.name", "opentelemetry"),
                Attribute("telemetry.sdk.language", "dotnet"),
                Attribute("telemetry.sdk.version", "1.20.1"),
            },
        };
        var aspNetCore = new ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" } };
        var npgsql = new ScopeSpans { Scope = new InstrumentationScope { Name = "Npgsql", Version = "10.0.3" } };
        for (var i = 0; i < spans / 2; i++)
        {
            var id = random.Next(1, 10_000);
            aspNetCore.Spans.Add(NewSpan(random, "GET /notes", SpanKind.Server,
                Attribute("server.address", "localhost"),
                Attribute("server.port", 8080),
                Attribute("http.request.method", "GET"),
                Attribute("url.scheme", "http"),
                Attribute("url.path", "/notes"),
                Attribute("url.query", $"?id={id}"),
                Attribute("network.protocol.version", "1.1"),
                Attribute("user_agent.original", "curl/7.88.1"),
                Attribute("http.route", distinct ? $"/notes/{i}" : "/notes"),
                Attribute("http.response.status_code", 200)));
            npgsql.Spans.Add(NewSpan(random, "postgresql", SpanKind.Client,
                Attribute("db.system.name", "postgresql"),
                Attribute("db.namespace", "notesdb"),
                Attribute("db.query.text", distinct ? $"SELECT id, description FROM notes WHERE id = {i}" : "SELECT id, description FROM notes WHERE id = $1"),
                Attribute("db.npgsql.data_source", "notesdb"),
                Attribute("server.address", "localhost"),
                Attribute("server.port", 5432),
                Attribute("db.response.returned_rows", 1)));
        }

        return new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { aspNetCore, npgsql } } } };
    }

    private static Span NewSpan(Random random, string name, SpanKind kind, params KeyValue[] attributes) => new()
    {
        TraceId = Bytes(random, 16),
        SpanId = Bytes(random, 8),
        ParentSpanId = Bytes(random, 8),
        Name = name,
        Kind = kind,
        StartTimeUnixNano = 1_800_000_000_000_000_000UL,
        EndTimeUnixNano = 1_800_000_000_000_250_000UL,
        Attributes = { attributes },
        Status = new Status(),
    };

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Attribute(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    private static ByteString Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return ByteString.CopyFrom(bytes);
    }
}
