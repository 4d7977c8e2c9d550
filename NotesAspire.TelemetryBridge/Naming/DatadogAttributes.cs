using System.Text;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using ResourceMessage = NotesAspire.TelemetryBridge.Otlp.Proto.Resource;
using SpanKind = NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types.SpanKind;

namespace NotesAspire.TelemetryBridge.Naming;

/// <summary>
/// Writes onto each span of the dashboard's copy the names Datadog will give it, so the dashboard shows what to look
/// for in Datadog. The Datadog agent's OTLP copy never gets these: it names spans itself; the trace API's copy is named
/// by the same <see cref="DatadogNaming.Describe(OtlpSpanFacts)"/>.
/// </summary>
/// <remarks>
/// This runs on every span the services send, so it works on the wire bytes (bench/README.md): it decodes a span's
/// name, kind and the attributes the naming rules read (<see cref="DatadogNaming.SpanKeys"/>), copies every field as it
/// came, and appends the six names. Parsing each request into messages and writing it out again cost the bridge several
/// times as much CPU, for the same output.
/// </remarks>
public static class DatadogAttributes
{
    public const string OperationName = "datadog.operation_name";
    public const string Resource = "datadog.resource";
    public const string SpanType = "datadog.span_type";
    public const string Service = "datadog.service";
    public const string Env = "datadog.env";
    public const string Version = "datadog.version";

    // Field numbers of opentelemetry/proto/{collector/trace/v1/trace_service,trace/v1/trace,resource/v1/resource,common/v1/common}.proto.
    private const int RequestResourceSpans = 1;
    private const int ResourceSpansResource = 1, ResourceSpansScopeSpans = 2, ResourceSpansSchemaUrl = 3;
    private const int ScopeSpansScope = 1, ScopeSpansSpans = 2, ScopeSpansSchemaUrl = 3;
    private const int SpanTraceState = 3, SpanName = 5, SpanKindField = 6, SpanAttributes = 9, SpanEvents = 11, SpanLinks = 13, SpanStatus = 15;
    private const int KeyValueKey = 1, KeyValueValue = 2, AnyValueString = 1;

    // How deep each part parsed on its own sits in the request, as Google.Protobuf counts it (the request itself 0,
    // ResourceSpans 1): Resource and ScopeSpans 2, InstrumentationScope and Span 3, Event, Link and KeyValue 4, AnyValue 5.
    private const int ResourceDepth = 2, ScopeDepth = 3, EventDepth = 4, LinkDepth = 4, SpanAttributeValueDepth = 5;

    private static readonly byte[] OperationNameField = KeyField(OperationName), ResourceField = KeyField(Resource),
        SpanTypeField = KeyField(SpanType), ServiceField = KeyField(Service), EnvField = KeyField(Env), VersionField = KeyField(Version);

    private static readonly Utf8Keys SpanKeys = new(DatadogNaming.SpanKeys);

    private static readonly Utf8Keys NameKeys = new([OperationName, Resource, SpanType, Service, Env, Version]);

    /// <summary>
    /// The wire bytes of <paramref name="request"/> (an ExportTraceServiceRequest) with the names added to every span.
    /// Throws <see cref="InvalidDataException"/> when the request is not well-formed protobuf, or when its named copy
    /// would pass <paramref name="maxBytes"/>: each span repeats its resource's service, environment and version, so a
    /// small request of many spans with long resource values would otherwise grow without bound.
    /// </summary>
    public static byte[] AddTo(ReadOnlySpan<byte> request, int maxBytes)
    {
        // The names take about 150 bytes a span: a little more room than the request saves most regrowths.
        using var output = new ProtoWriter(Math.Min(request.Length + (request.Length / 2) + 256, maxBytes), maxBytes);
        using var scratch = new Scratch(maxBytes);
        var reader = new ProtoReader(request);
        while (reader.Next(out var field, out var type))
        {
            if (field == RequestResourceSpans && type == WireType.LengthDelimited)
            {
                var start = output.BeginMessage(field);
                AddToResourceSpans(reader.ReadLengthDelimited(), output, scratch);
                output.EndMessage(start);
            }
            else
            {
                reader.Skip(type);
                output.WriteRaw(reader.Field);
            }
        }

        return output.ToArray();
    }

    private static void AddToResourceSpans(ReadOnlySpan<byte> resourceSpans, ProtoWriter output, Scratch scratch)
    {
        // The resource comes first from every SDK, but protobuf lets it come anywhere: read it before the spans.
        var resource = new Dictionary<string, string>(StringComparer.Ordinal);
        scratch.StartResource();
        var reader = new ProtoReader(resourceSpans);
        while (reader.Next(out var field, out var type))
        {
            if (field == ResourceSpansResource && type == WireType.LengthDelimited)
            {
                // Once a request: the resource is parsed whole, which checks it whole. A resource sent twice merges.
                foreach (var attribute in OtlpParts.ParseAt(ResourceMessage.Parser, reader.ReadLengthDelimited(), ResourceDepth).Attributes)
                {
                    resource[attribute.Key] = OtlpValues.ToText(attribute.Value);
                }
            }
            else
            {
                reader.Skip(type);
            }
        }

        reader = new ProtoReader(resourceSpans);
        while (reader.Next(out var field, out var type))
        {
            if (field == ResourceSpansScopeSpans && type == WireType.LengthDelimited)
            {
                var start = output.BeginMessage(field);
                AddToScopeSpans(reader.ReadLengthDelimited(), output, resource, scratch);
                output.EndMessage(start);
                continue;
            }

            if (field == ResourceSpansSchemaUrl && type == WireType.LengthDelimited)
            {
                OtlpParts.Utf8Text(reader.ReadLengthDelimited(), "A resource's schema URL");
            }
            else
            {
                reader.Skip(type);
            }

            output.WriteRaw(reader.Field);
        }
    }

    private static void AddToScopeSpans(ReadOnlySpan<byte> scopeSpans, ProtoWriter output, Dictionary<string, string> resource, Scratch scratch)
    {
        var reader = new ProtoReader(scopeSpans);
        while (reader.Next(out var field, out var type))
        {
            if (field == ScopeSpansSpans && type == WireType.LengthDelimited)
            {
                AddToSpan(reader.ReadLengthDelimited(), output, resource, scratch);
                continue;
            }

            if (field == ScopeSpansScope && type == WireType.LengthDelimited)
            {
                // Copied as it came, after the parser's check: one a scope.
                OtlpParts.ParseAt(InstrumentationScope.Parser, reader.ReadLengthDelimited(), ScopeDepth);
            }
            else if (field == ScopeSpansSchemaUrl && type == WireType.LengthDelimited)
            {
                OtlpParts.Utf8Text(reader.ReadLengthDelimited(), "A scope's schema URL");
            }
            else
            {
                reader.Skip(type);
            }

            output.WriteRaw(reader.Field);
        }
    }

    // Spans are most of the request: each is read once for its facts, then written with its exact length, in one copy
    // when it carries none of the six names already.
    private static void AddToSpan(ReadOnlySpan<byte> span, ProtoWriter output, Dictionary<string, string> resource, Scratch scratch)
    {
        var senderNames = scratch.SenderNames;
        var facts = scratch.Facts;
        senderNames.Clear();
        facts.Clear();
        var (name, kind) = (default(Range), SpanKind.Unspecified);
        var reader = new ProtoReader(span);
        while (reader.Next(out var field, out var type))
        {
            if (field == SpanName && type == WireType.LengthDelimited)
            {
                // A name replaced by a later one is still parsed by the dashboard: checked here; the last one, in Named.
                if (name.End.Value > 0)
                {
                    OtlpParts.Utf8Text(span[name], "A span's name");
                }

                name = reader.ReadLengthDelimitedRange();
            }
            else if (field == SpanKindField && type == WireType.Varint)
            {
                kind = (SpanKind)(int)reader.ReadVarint();
            }
            else if (field == SpanAttributes && type == WireType.LengthDelimited)
            {
                var keyValue = reader.ReadLengthDelimitedRange();
                var senderName = ReadAttribute(span[keyValue], SpanKeys, NameKeys, out var known, out var value);
                if (known is not null)
                {
                    var at = keyValue.Start.Value;
                    facts.Add((known, (at + value.Start.Value)..(at + value.End.Value)));
                }

                if (senderName is not null)
                {
                    senderNames.Add((senderName, reader.FieldStart, reader.Field.Length));
                }
            }
            else if (field == SpanTraceState && type == WireType.LengthDelimited)
            {
                OtlpParts.Utf8Text(reader.ReadLengthDelimited(), "A span's trace state");
            }
            else if (field == SpanEvents && type == WireType.LengthDelimited)
            {
                // Events (an exception's), links and a status are rare: the parser checks them.
                OtlpParts.ParseAt(Span.Types.Event.Parser, reader.ReadLengthDelimited(), EventDepth);
            }
            else if (field == SpanLinks && type == WireType.LengthDelimited)
            {
                OtlpParts.ParseAt(Span.Types.Link.Parser, reader.ReadLengthDelimited(), LinkDepth);
            }
            else if (field == SpanStatus && type == WireType.LengthDelimited)
            {
                Status.Parser.ParseFrom(reader.ReadLengthDelimited());
            }
            else
            {
                reader.Skip(type);
            }
        }

        // Remembered names come with their encoding; others are encoded in the scratch's buffer.
        var (names, remembered) = Named(span, name, kind, resource, scratch);
        var added = remembered ?? scratch.Names.Written;
        var dropped = 0;
        foreach (var sender in senderNames)
        {
            dropped += Replaces(names, sender.Key) ? sender.Length : 0;
        }

        output.WriteTag(ScopeSpansSpans, WireType.LengthDelimited);
        output.WriteLength(span.Length - dropped + added.Length);
        var copied = 0;
        foreach (var sender in senderNames)
        {
            if (Replaces(names, sender.Key))
            {
                output.WriteRaw(span[copied..sender.Start]);
                copied = sender.Start + sender.Length;
            }
        }

        output.WriteRaw(span[copied..]);
        output.WriteRaw(added);
    }

    /// <summary>
    /// The names of a span with this name, kind and these values of the rules' keys, and their encoded attributes when
    /// remembered (else they are in the scratch's names buffer). The services send the same few kinds of span over and
    /// over (a request's server span, its query), so within one resource's spans the names are worked out once for each
    /// set of facts, found again by their bytes, and the facts' text is decoded (and checked to be UTF-8) only then.
    /// </summary>
    private static (DatadogNames Names, byte[]? Added) Named(ReadOnlySpan<byte> span, Range name, SpanKind kind, Dictionary<string, string> resource, Scratch scratch)
    {
        // Spans that are seldom alike (queries with their values written in) would only pay for keys: after 64 spans of
        // a resource with fewer than half found again, its other spans are named without one.
        if (scratch.Looked >= Scratch.Trial && scratch.Found * 2 < scratch.Looked)
        {
            return (NamesOf(span, name, kind, resource, scratch), null);
        }

        // The key: the kind, then each fact's bytes with its length, so that different facts never make the same key.
        scratch.Looked++;
        var key = scratch.Key;
        key.Reset();
        key.WriteLength((int)kind);
        key.WriteLength(span[name].Length);
        key.WriteRaw(span[name]);
        foreach (var (known, value) in scratch.Facts)
        {
            key.WriteString(1, known);
            key.WriteLength(span[value].Length);
            key.WriteRaw(span[value]);
        }

        var seen = scratch.Seen.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (seen.TryGetValue(key.Written, out var named))
        {
            scratch.Found++;
            return named;
        }

        var names = NamesOf(span, name, kind, resource, scratch);

        // A request of spans that are all different gains nothing from remembering them: a bound keeps its memory small.
        var added = scratch.Names.Written;
        if (scratch.SeenBytes + key.Written.Length + added.Length > Scratch.MaxSeenBytes)
        {
            return (names, null);
        }

        scratch.SeenBytes += key.Written.Length + added.Length;
        named = (names, added.ToArray());
        seen[key.Written] = named;
        return named;
    }

    /// <summary>The names of one span, from its facts' text, decoded and checked here; encoded in the scratch's names.</summary>
    private static DatadogNames NamesOf(ReadOnlySpan<byte> span, Range name, SpanKind kind, Dictionary<string, string> resource, Scratch scratch)
    {
        var attributes = scratch.SpanAttributes;
        attributes.Clear();
        foreach (var (known, value) in scratch.Facts)
        {
            attributes[known] = OtlpParts.ValueText(span[value], SpanAttributeValueDepth);
        }

        var text = Encoding.UTF8.GetString(OtlpParts.Utf8Text(span[name], "A span's name"));
        var names = DatadogNaming.Describe(new OtlpSpanFacts(text, kind, attributes, resource));
        var added = scratch.Names;
        added.Reset();
        WriteName(added, OperationNameField, names.OperationName);
        WriteName(added, ResourceField, names.Resource);
        WriteName(added, SpanTypeField, names.SpanType);
        WriteName(added, ServiceField, names.Service);
        WriteName(added, EnvField, names.Env);
        WriteName(added, VersionField, names.Version);
        return names;
    }

    /// <summary>
    /// Whether a sender's own value of one of the names goes: when ours replaces it (OTLP keys are unique within a span),
    /// not when we have none to give (a span's datadog.env where its resource names no environment).
    /// </summary>
    private static bool Replaces(DatadogNames names, string key) => key switch
    {
        Env => names.Env is not null,
        Version => names.Version is not null,
        _ => true,
    };

    /// <summary>Appends one name as a span attribute: KeyValue { key = 1; value = 2 (AnyValue { string_value = 1 }) }.</summary>
    private static void WriteName(ProtoWriter output, byte[] keyField, string? value)
    {
        if (value is null)
        {
            return;
        }

        // Encoded once, straight into the output's room for it: the lengths around it follow from its size.
        var utf8 = Encoding.UTF8.GetByteCount(value);
        var anyValue = ProtoWriter.FieldLength(utf8);
        output.WriteTag(SpanAttributes, WireType.LengthDelimited);
        output.WriteLength(keyField.Length + ProtoWriter.FieldLength(anyValue));
        output.WriteRaw(keyField);
        output.WriteTag(KeyValueValue, WireType.LengthDelimited);
        output.WriteLength(anyValue);
        output.WriteTag(AnyValueString, WireType.LengthDelimited);
        output.WriteLength(utf8);
        output.WriteUtf8(value, utf8);
    }

    /// <summary>A KeyValue's key field, written once for all spans.</summary>
    private static byte[] KeyField(string key)
    {
        using var writer = new ProtoWriter(64, 64);
        writer.WriteString(KeyValueKey, key);
        return writer.ToArray();
    }

    /// <summary>
    /// Reads a KeyValue: when its key is one of <paramref name="keys"/>, that key and where its value is (relative to
    /// <paramref name="keyValue"/>) in <paramref name="known"/> and <paramref name="value"/>; else checks its value.
    /// Returns the key when it is one of <paramref name="names"/>, else null.
    /// </summary>
    private static string? ReadAttribute(ReadOnlySpan<byte> keyValue, Utf8Keys keys, Utf8Keys names, out string? known, out Range value)
    {
        // Protobuf lets a field come more than once; the last one counts, as Google.Protobuf reads it.
        ReadOnlySpan<byte> key = default;
        value = default;
        var reader = new ProtoReader(keyValue);
        while (reader.Next(out var field, out var type))
        {
            // One replaced by a later one is still parsed by the dashboard, so it is checked too.
            if (field == KeyValueKey && type == WireType.LengthDelimited)
            {
                if (!key.IsEmpty)
                {
                    OtlpParts.Utf8Text(key, "An attribute's key");
                }

                key = reader.ReadLengthDelimited();
            }
            else if (field == KeyValueValue && type == WireType.LengthDelimited)
            {
                if (value.End.Value > 0)
                {
                    OtlpParts.CheckValue(keyValue[value], SpanAttributeValueDepth);
                }

                value = reader.ReadLengthDelimitedRange();
            }
            else
            {
                reader.Skip(type);
            }
        }

        known = keys.Find(key);
        if (known is null)
        {
            // A key the rules know is their own text, and its value is checked when the span's names are worked out
            // (Named); any other is checked here.
            OtlpParts.Utf8Text(key, "An attribute's key");
            OtlpParts.CheckValue(keyValue[value], SpanAttributeValueDepth);
        }

        return names.Find(key);
    }

    /// <summary>What every span of one request reuses: its facts, its own names, the names already worked out, and the buffers.</summary>
    private sealed class Scratch(int maxBytes) : IDisposable
    {
        public const int MaxSeenBytes = 256 * 1024;

        public const int Trial = 64;

        /// <summary>How many of the current resource's spans were looked for among those seen, and found.</summary>
        public int Looked { get; set; }

        public int Found { get; set; }

        public Dictionary<string, string> SpanAttributes { get; } = new(StringComparer.Ordinal);

        /// <summary>The span's values of the rules' keys: which key, and where its value is in the span.</summary>
        public List<(string Key, Range Value)> Facts { get; } = [];

        /// <summary>The names already worked out for the current resource's spans, by their facts' bytes.</summary>
        public Dictionary<byte[], (DatadogNames Names, byte[] Added)> Seen { get; } = new(new ByteKeys());

        /// <summary>What <see cref="Seen"/> holds: its keys' and names' bytes.</summary>
        public int SeenBytes { get; set; }

        public ProtoWriter Key { get; } = new(256, maxBytes);

        /// <summary>The span's own attributes named as one of ours: which, where in the span, how long.</summary>
        public List<(string Key, int Start, int Length)> SenderNames { get; } = [];

        public ProtoWriter Names { get; } = new(1024, maxBytes);

        /// <summary>Names are remembered for one resource's spans: a new resource starts afresh.</summary>
        public void StartResource()
        {
            Seen.Clear();
            (SeenBytes, Looked, Found) = (0, 0, 0);
        }

        public void Dispose()
        {
            Names.Dispose();
            Key.Dispose();
        }
    }

    /// <summary>Byte arrays compared by content, and looked up by a span of bytes without making an array of it.</summary>
    private sealed class ByteKeys : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] bytes) => GetHashCode((ReadOnlySpan<byte>)bytes);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
