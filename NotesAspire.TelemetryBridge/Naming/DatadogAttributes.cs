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
        var attributes = scratch.SpanAttributes;
        var senderNames = scratch.SenderNames;
        attributes.Clear();
        senderNames.Clear();
        var (name, kind) = ("", SpanKind.Unspecified);
        var reader = new ProtoReader(span);
        while (reader.Next(out var field, out var type))
        {
            if (field == SpanName && type == WireType.LengthDelimited)
            {
                name = Encoding.UTF8.GetString(OtlpParts.Utf8Text(reader.ReadLengthDelimited(), "A span's name"));
            }
            else if (field == SpanKindField && type == WireType.Varint)
            {
                kind = (SpanKind)(int)reader.ReadVarint();
            }
            else if (field == SpanAttributes && type == WireType.LengthDelimited)
            {
                if (ReadAttribute(reader.ReadLengthDelimited(), SpanKeys, attributes, NameKeys) is { } senderName)
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

        var names = DatadogNaming.Describe(new OtlpSpanFacts(name, kind, attributes, resource));
        var added = scratch.Names;
        added.Reset();
        WriteName(added, OperationNameField, names.OperationName);
        WriteName(added, ResourceField, names.Resource);
        WriteName(added, SpanTypeField, names.SpanType);
        WriteName(added, ServiceField, names.Service);
        WriteName(added, EnvField, names.Env);
        WriteName(added, VersionField, names.Version);

        var dropped = 0;
        foreach (var sender in senderNames)
        {
            dropped += Replaces(names, sender.Key) ? sender.Length : 0;
        }

        output.WriteTag(ScopeSpansSpans, WireType.LengthDelimited);
        output.WriteLength(span.Length - dropped + added.Written.Length);
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
        output.WriteRaw(added.Written);
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
    /// Reads a KeyValue into <paramref name="attributes"/> when its key is one of <paramref name="keys"/>, and checks
    /// its value otherwise. Returns the key when it is one of <paramref name="names"/>, else null.
    /// </summary>
    private static string? ReadAttribute(ReadOnlySpan<byte> keyValue, Utf8Keys keys, Dictionary<string, string> attributes, Utf8Keys names)
    {
        // Protobuf lets a field come more than once; the last one counts, as Google.Protobuf reads it.
        ReadOnlySpan<byte> key = default, value = default;
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
                if (!value.IsEmpty)
                {
                    OtlpParts.CheckValue(value, SpanAttributeValueDepth);
                }

                value = reader.ReadLengthDelimited();
            }
            else
            {
                reader.Skip(type);
            }
        }

        if (keys.Find(key) is { } known)
        {
            attributes[known] = OtlpParts.ValueText(value, SpanAttributeValueDepth);
        }
        else
        {
            // A key the rules know is their own text; any other is checked.
            OtlpParts.Utf8Text(key, "An attribute's key");
            OtlpParts.CheckValue(value, SpanAttributeValueDepth);
        }

        return names.Find(key);
    }

    /// <summary>What every span of one request reuses: its attributes, its own names, and the buffer its names are written to.</summary>
    private sealed class Scratch(int maxBytes) : IDisposable
    {
        public Dictionary<string, string> SpanAttributes { get; } = new(StringComparer.Ordinal);

        /// <summary>The span's own attributes named as one of ours: which, where in the span, how long.</summary>
        public List<(string Key, int Start, int Length)> SenderNames { get; } = [];

        public ProtoWriter Names { get; } = new(1024, maxBytes);

        public void Dispose() => Names.Dispose();
    }
}
