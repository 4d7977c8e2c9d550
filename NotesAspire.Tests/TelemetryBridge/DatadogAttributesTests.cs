using Google.Protobuf;
using NotesAspire.TelemetryBridge.Naming;
using NotesAspire.TelemetryBridge.Otlp;
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

        var named = Named(sent);

        var expected = sent.Clone();
        Add(expected.ResourceSpans[0].ScopeSpans[0].Spans[0], "http.server.request", "GET /notes", "web", "notes", "dev", "0.1.0");
        Add(expected.ResourceSpans[0].ScopeSpans[0].Spans[1], "postgresql.query", "SELECT 1", "sql", "notes", "dev", "0.1.0");
        Assert.Equal(expected, named);
    }

    [Fact]
    public void SpansAlikeButForWhatTheRulesReadAreNamedEachForItself()
    {
        Span Server(string route, string path) =>
            Otlp.Span("GET", SpanKind.Server, ("http.request.method", "GET"), ("http.route", route), ("url.path", path));
        var sent = Otlp.Trace(Otlp.Resource("notes"), Server("/notes", "/notes"), Server("/calendar", "/calendar"), Server("/notes", "/notes?id=2"));
        var other = Otlp.Trace(Otlp.Resource("calendar"), Server("/notes", "/notes")).ResourceSpans[0];
        sent.ResourceSpans.Add(other);
        other.ScopeSpans[0].Spans.Add(Otlp.Span("GET", SpanKind.Client, ("http.request.method", "GET"), ("http.route", "/notes")));

        var named = Named(sent);

        Assert.Equal(
            [("GET /notes", "notes", "http.server.request"), ("GET /calendar", "notes", "http.server.request"), ("GET /notes", "notes", "http.server.request"),
             ("GET /notes", "calendar", "http.server.request"), ("GET", "calendar", "http.client.request")],
            named.ResourceSpans.SelectMany(r => r.ScopeSpans[0].Spans)
                .Select(span => (Otlp.Find(span, "datadog.resource"), Otlp.Find(span, "datadog.service"), Otlp.Find(span, "datadog.operation_name"))));
    }

    [Fact]
    public void SpansDifferingOnlyInNameInWhichKeyOrInTheOrderOfARepeatedKeyAreNamedAsTheRulesSay()
    {
        var resource = Otlp.Resource("notes", ("deployment.environment.name", "dev"));
        var sent = Otlp.Trace(resource,
            Otlp.Span("load", SpanKind.Internal), Otlp.Span("save", SpanKind.Internal),
            Otlp.Span("q", SpanKind.Client, ("db.system", "redis")), Otlp.Span("q", SpanKind.Client, ("rpc.system", "redis")),
            Otlp.Span("q", SpanKind.Client, ("rpc.method", "a"), ("rpc.method", "b")),
            Otlp.Span("q", SpanKind.Client, ("rpc.method", "b"), ("rpc.method", "a")));

        var named = Named(sent).ResourceSpans[0].ScopeSpans[0].Spans;

        // Each as the rules name it on its own (the last of a key given twice counts, as the parser reads it).
        var expected = sent.ResourceSpans[0].ScopeSpans[0].Spans.Select(span => DatadogNaming.Describe(new OtlpSpanFacts(
            span.Name, span.Kind, OtlpValues.ToDictionary(span.Attributes), OtlpValues.ToDictionary(resource.Attributes))));
        Assert.Equal(expected.Select(names => ((string?)names.Resource, (string?)names.OperationName)),
            named.Select(span => (Otlp.Find(span, "datadog.resource"), Otlp.Find(span, "datadog.operation_name"))));
        Assert.Equal(6, named.Select(span => (Otlp.Find(span, "datadog.resource"), Otlp.Find(span, "datadog.operation_name"))).Distinct().Count());
    }

    [Fact]
    public void NamesASenderAlreadySetAreReplacedNotRepeated()
    {
        // The resource names no environment: the span's own datadog.env has nothing to be replaced by, and stays.
        var sent = Otlp.Trace(Otlp.Span("work", SpanKind.Internal, ("datadog.span_type", "mine"), ("keep", "me"), ("datadog.env", "mine"), ("datadog.custom", "mine too")));

        var span = Named(sent).ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal(["keep", "datadog.env", "datadog.custom", "datadog.operation_name", "datadog.resource", "datadog.span_type", "datadog.service"], span.Attributes.Select(a => a.Key));
        Assert.Equal("custom", Otlp.Find(span, "datadog.span_type"));
        Assert.Equal("mine", Otlp.Find(span, "datadog.env"));
    }

    [Fact]
    public void AttributeValuesOtherThanStringsAreReadAsTheirText()
    {
        var span = Otlp.Span("GET", SpanKind.Client);
        span.Attributes.Add(new KeyValue { Key = "http.request.method", Value = new AnyValue { StringValue = "GET" } });
        span.Attributes.Add(new KeyValue { Key = "rpc.method", Value = new AnyValue { IntValue = 42 } });
        span.Attributes.Add(new KeyValue { Key = "resource.name", Value = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { BoolValue = true }, new AnyValue { DoubleValue = 1.5 } } } } });

        var named = Named(Otlp.Trace(span)).ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal("[true, 1.5]", Otlp.Find(named, "datadog.resource"));
    }

    [Fact]
    public void LongValuesAndManySpansKeepTheirLengthsRight()
    {
        // Over 2^21 bytes: the query's, the span's and the enclosing messages' lengths each take 4 bytes.
        var query = "SELECT " + new string('x', 2_100_000);
        var spans = Enumerable.Range(0, 2_000).Select(i => Otlp.Span($"query {i}", SpanKind.Client, ("db.system", "postgresql"), ("db.statement", i == 0 ? query : $"SELECT {i}"))).ToArray();

        var named = Named(Otlp.Trace(spans));

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
    [InlineData("0901")]           // a fixed64 cut short
    [InlineData("0200")]           // field number 0
    [InlineData("0e")]             // wire type 6
    [InlineData("808080801000")]   // field number 2^29, past protobuf's largest
    public void MalformedRequestsAreRefused(string hex)
    {
        if (hex.Length == 0)
        {
            Assert.Empty(DatadogAttributes.AddTo([], MaxBytes));
            return;
        }

        Assert.Throws<InvalidDataException>(() => DatadogAttributes.AddTo(Convert.FromHexString(hex), MaxBytes));
    }

    [Fact]
    public void FieldsThatComeTwiceCountAsTheParserCountsThem()
    {
        // Valid protobuf that no SDK writes: a KeyValue with two keys (the last counts) and an AnyValue with two values
        // (the last of a oneof counts). The copy must still parse, and name as the parsed request does.
        var twoKeys = Otlp.Field(1, "other"u8).Concat(Otlp.Field(1, "datadog.env"u8)).Concat(Otlp.Field(2, Otlp.Field(1, "mine"u8))).ToArray();
        var twoValues = Otlp.Field(1, "resource.name"u8).Concat(Otlp.Field(2, [.. Otlp.Field(1, "a"u8), 0x18, 0x05])).ToArray();
        var span = Otlp.Span("twice", SpanKind.Internal).ToByteArray().Concat(Otlp.Field(9, twoKeys)).Concat(Otlp.Field(9, twoValues)).ToArray();
        var request = Otlp.Field(1, Otlp.Field(2, Otlp.Field(2, span)));

        var named = ExportTraceServiceRequest.Parser.ParseFrom(DatadogAttributes.AddTo(request, MaxBytes)).ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal("5", Otlp.Find(named, "datadog.resource"));
        Assert.Equal("mine", Otlp.Find(named, "datadog.env"));
    }

    [Fact]
    public void ANamedCopyPastTheLimitIsRefused()
    {
        // Every span repeats its resource's service name: 2,000 spans of a 10 KB name make 20 MB from a 60 KB request.
        var sent = Otlp.Trace(Otlp.Resource(new string('s', 10_000)), Enumerable.Range(0, 2_000).Select(_ => new Span()).ToArray());

        var refused = Assert.Throws<InvalidDataException>(() => DatadogAttributes.AddTo(sent.ToByteArray(), 1024 * 1024));
        Assert.Contains("larger than 1048576 bytes", refused.Message);
    }

    [Fact]
    public void DamagedRequestsAreRefusedOrStillParse()
    {
        var sent = Otlp.Trace(
            Otlp.Resource("notes", ("deployment.environment.name", "dev")),
            Otlp.Span("GET /notes", SpanKind.Server, ("http.request.method", "GET"), ("http.route", "/notes")),
            Otlp.Span("postgresql", SpanKind.Client, ("db.system", "postgresql"), ("db.statement", "SELECT 1"))).ToByteArray();
        var random = new Random(11);
        for (var i = 0; i < 5_000; i++)
        {
            var damaged = (byte[])sent.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            byte[] named;
            try
            {
                named = DatadogAttributes.AddTo(damaged, MaxBytes);
            }
            catch (Exception refused) when (refused is InvalidDataException or InvalidProtocolBufferException)
            {
                continue;
            }

            // What the bridge accepts, the dashboard can read, text included.
            ExportTraceServiceRequest.Parser.ParseFrom(named);
        }
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

    private const int MaxBytes = 64 * 1024 * 1024;

    private static ExportTraceServiceRequest Named(ExportTraceServiceRequest request) =>
        ExportTraceServiceRequest.Parser.ParseFrom(DatadogAttributes.AddTo(request.ToByteArray(), MaxBytes));


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
