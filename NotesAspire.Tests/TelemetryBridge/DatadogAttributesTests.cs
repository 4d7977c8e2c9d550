using Google.Protobuf;
using NotesAspire.TelemetryBridge.Naming;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using SpanKind = NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types.SpanKind;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>The dashboard's copy, written at the byte level: the same spans as sent, plus the names, nothing else.</summary>
public sealed class DatadogAttributesTests
{
    [Fact]
    public void EverySpanKeepsItsFieldsAndGainsTheSixNames()
    {
        var sent = Otlp.Trace(
            Otlp.Resource("notes", ("deployment.environment.name", "dev"), ("service.version", "0.1.0")),
            Otlp.Span("GET /notes", SpanKind.Server, ("http.request.method", "GET"), ("http.route", "/notes"), ("url.path", "/notes")),
            Otlp.Span("postgresql", SpanKind.Client, ("db.system.name", "postgresql"), ("db.query.text", "SELECT 1")));
        sent.ResourceSpans[0].ScopeSpans[0].Spans[0].Events.Add(new Span.Types.Event { Name = "exception", TimeUnixNano = 5 });
        sent.ResourceSpans[0].ScopeSpans[0].Spans[1].Status = new Status { Code = Status.Types.StatusCode.Error, Message = "broken" };

        var named = ExportTraceServiceRequest.Parser.ParseFrom(DatadogAttributes.AddTo(sent.ToByteArray()));

        var expected = sent.Clone();
        Add(expected.ResourceSpans[0].ScopeSpans[0].Spans[0], "http.server.request", "GET /notes", "web", "notes", "dev", "0.1.0");
        Add(expected.ResourceSpans[0].ScopeSpans[0].Spans[1], "postgresql.query", "SELECT 1", "sql", "notes", "dev", "0.1.0");
        Assert.Equal(expected, named);
    }

    [Fact]
    public void NamesASenderAlreadySetAreReplacedNotRepeated()
    {
        var sent = Otlp.Trace(Otlp.Span("work", SpanKind.Internal, ("datadog.span_type", "mine"), ("keep", "me"), ("datadog.custom", "mine too")));

        var span = ExportTraceServiceRequest.Parser.ParseFrom(DatadogAttributes.AddTo(sent.ToByteArray())).ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal(["keep", "datadog.custom", "datadog.operation_name", "datadog.resource", "datadog.span_type", "datadog.service"], span.Attributes.Select(a => a.Key));
        Assert.Equal("custom", Otlp.Find(span, "datadog.span_type"));
    }

    [Fact]
    public void AttributeValuesOtherThanStringsAreReadAsTheirText()
    {
        var span = Otlp.Span("GET", SpanKind.Client);
        span.Attributes.Add(new KeyValue { Key = "http.request.method", Value = new AnyValue { StringValue = "GET" } });
        span.Attributes.Add(new KeyValue { Key = "rpc.method", Value = new AnyValue { IntValue = 42 } });
        span.Attributes.Add(new KeyValue { Key = "resource.name", Value = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { BoolValue = true }, new AnyValue { DoubleValue = 1.5 } } } } });

        var named = ExportTraceServiceRequest.Parser.ParseFrom(DatadogAttributes.AddTo(Otlp.Trace(span).ToByteArray())).ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal("[true, 1.5]", Otlp.Find(named, "datadog.resource"));
    }

    [Fact]
    public void LongValuesAndManySpansKeepTheirLengthsRight()
    {
        var query = "SELECT " + new string('x', 70_000);
        var spans = Enumerable.Range(0, 2_000).Select(i => Otlp.Span($"query {i}", SpanKind.Client, ("db.system", "postgresql"), ("db.statement", i == 0 ? query : $"SELECT {i}"))).ToArray();

        var named = ExportTraceServiceRequest.Parser.ParseFrom(DatadogAttributes.AddTo(Otlp.Trace(spans).ToByteArray()));

        Assert.Equal(2_000, named.ResourceSpans[0].ScopeSpans[0].Spans.Count);
        Assert.Equal(query, Otlp.Find(named.ResourceSpans[0].ScopeSpans[0].Spans[0], "datadog.resource"));
        Assert.Equal("SELECT 1999", Otlp.Find(named.ResourceSpans[0].ScopeSpans[0].Spans[1999], "datadog.resource"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0a")]             // a length with nothing after it
    [InlineData("0a05120312")]     // a span's length past its end
    [InlineData("0b")]             // wire type 3: a group, which OTLP never uses
    [InlineData("08ffffffffffffffffffff01")] // an 11-byte varint
    public void MalformedRequestsAreRefused(string hex)
    {
        if (hex.Length == 0)
        {
            Assert.Empty(DatadogAttributes.AddTo([]));
            return;
        }

        Assert.Throws<InvalidDataException>(() => DatadogAttributes.AddTo(Convert.FromHexString(hex)));
    }

    [Fact]
    public void EveryKeyTheNamingRulesReadIsOneTheBridgeDecodes()
    {
        var read = new HashSet<string>();
        foreach (var kind in Enum.GetValues<SpanKind>())
        {
            // Every rule's key present and non-empty, so that every branch goes on to read the next key it wants.
            DatadogNaming.Describe(new OtlpSpanFacts("name", kind, new Recording(read), new Dictionary<string, string>()));
            DatadogNaming.Describe(new OtlpSpanFacts("name", kind, new Recording(read, absent: true), new Dictionary<string, string>()));
        }

        Assert.Empty(read.Except(DatadogNaming.SpanKeys));
    }

    private static void Add(Span span, params string[] names)
    {
        string[] keys = ["datadog.operation_name", "datadog.resource", "datadog.span_type", "datadog.service", "datadog.env", "datadog.version"];
        span.Attributes.Add(keys.Zip(names, Otlp.Attribute));
    }

    /// <summary>Attributes that answer every key (or none), and note which were asked for.</summary>
    private sealed class Recording(HashSet<string> read, bool absent = false) : IReadOnlyDictionary<string, string>
    {
        public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => [];

        public IEnumerable<string> Values => [];

        public int Count => 0;

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, out string value)
        {
            read.Add(key);
            value = "postgresql";
            return !absent;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Enumerable.Empty<KeyValuePair<string, string>>().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
