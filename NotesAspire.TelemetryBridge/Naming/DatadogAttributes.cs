using System.Text;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;
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
    private const int ResourceSpansResource = 1, ResourceSpansScopeSpans = 2;
    private const int ResourceAttributes = 1;
    private const int ScopeSpansSpans = 2;
    private const int SpanName = 5, SpanKindField = 6, SpanAttributes = 9;
    private const int KeyValueKey = 1, KeyValueValue = 2;
    private const int AnyValueString = 1, AnyValueBool = 2, AnyValueInt = 3, AnyValueDouble = 4;

    private static readonly byte[] OperationNameField = KeyField(OperationName), ResourceField = KeyField(Resource),
        SpanTypeField = KeyField(SpanType), ServiceField = KeyField(Service), EnvField = KeyField(Env), VersionField = KeyField(Version);

    private static readonly Utf8Keys SpanKeys = new(DatadogNaming.SpanKeys);

    // A sender's own datadog.* value for one of these keys is replaced: OTLP keys are unique within a span.
    private static readonly Utf8Keys WrittenKeys = new([OperationName, Resource, SpanType, Service, Env, Version]);

    /// <summary>
    /// The wire bytes of <paramref name="request"/> (an ExportTraceServiceRequest) with the names added to every span.
    /// Throws <see cref="InvalidDataException"/> when the request is not well-formed protobuf.
    /// </summary>
    public static byte[] AddTo(ReadOnlySpan<byte> request)
    {
        // The names take about 150 bytes a span: a little more room than the request saves most regrowths.
        using var output = new ProtoWriter(request.Length + (request.Length / 2) + 256);
        using var scratch = new Scratch();
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
                ReadResource(reader.ReadLengthDelimited(), resource);
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
            }
            else
            {
                reader.Skip(type);
                output.WriteRaw(reader.Field);
            }
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
            }
            else
            {
                reader.Skip(type);
                output.WriteRaw(reader.Field);
            }
        }
    }

    // Spans are most of the request: each is read once for its facts, then written with its exact length, in one copy
    // when nothing in it is replaced.
    private static void AddToSpan(ReadOnlySpan<byte> span, ProtoWriter output, Dictionary<string, string> resource, Scratch scratch)
    {
        var attributes = scratch.SpanAttributes;
        attributes.Clear();
        var (name, kind, replaced) = ("", SpanKind.Unspecified, 0);
        var reader = new ProtoReader(span);
        while (reader.Next(out var field, out var type))
        {
            if (field == SpanName && type == WireType.LengthDelimited)
            {
                name = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
            }
            else if (field == SpanKindField && type == WireType.Varint)
            {
                kind = (SpanKind)(int)reader.ReadVarint();
            }
            else if (field == SpanAttributes && type == WireType.LengthDelimited)
            {
                if (ReadAttribute(reader.ReadLengthDelimited(), SpanKeys, attributes, replaced: WrittenKeys))
                {
                    replaced += reader.Field.Length;
                }
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

        output.WriteTag(ScopeSpansSpans, WireType.LengthDelimited);
        output.WriteLength(span.Length - replaced + added.Written.Length);
        if (replaced == 0)
        {
            output.WriteRaw(span);
        }
        else
        {
            reader = new ProtoReader(span);
            while (reader.Next(out var field, out var type))
            {
                var skip = field == SpanAttributes && type == WireType.LengthDelimited && IsReplaced(reader.ReadLengthDelimited());
                if (field != SpanAttributes || type != WireType.LengthDelimited)
                {
                    reader.Skip(type);
                }

                if (!skip)
                {
                    output.WriteRaw(reader.Field);
                }
            }
        }

        output.WriteRaw(added.Written);
    }

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
        using var writer = new ProtoWriter(64);
        writer.WriteString(KeyValueKey, key);
        return writer.ToArray();
    }

    private static bool IsReplaced(ReadOnlySpan<byte> keyValue)
    {
        var reader = new ProtoReader(keyValue);
        while (reader.Next(out var field, out var type))
        {
            if (field == KeyValueKey && type == WireType.LengthDelimited)
            {
                return WrittenKeys.Find(reader.ReadLengthDelimited()) is not null;
            }

            reader.Skip(type);
        }

        return false;
    }

    private static void ReadResource(ReadOnlySpan<byte> resource, Dictionary<string, string> attributes)
    {
        var reader = new ProtoReader(resource);
        while (reader.Next(out var field, out var type))
        {
            if (field == ResourceAttributes && type == WireType.LengthDelimited)
            {
                ReadAttribute(reader.ReadLengthDelimited(), keys: null, attributes, replaced: null);
            }
            else
            {
                reader.Skip(type);
            }
        }
    }

    /// <summary>
    /// Reads a KeyValue into <paramref name="attributes"/> when its key is one of <paramref name="keys"/> (any key when
    /// null). Returns whether the key is one of <paramref name="replaced"/>: an attribute to drop, not copy.
    /// </summary>
    private static bool ReadAttribute(ReadOnlySpan<byte> keyValue, Utf8Keys? keys, Dictionary<string, string> attributes, Utf8Keys? replaced)
    {
        ReadOnlySpan<byte> key = default, value = default;
        var reader = new ProtoReader(keyValue);
        while (reader.Next(out var field, out var type))
        {
            if (field == KeyValueKey && type == WireType.LengthDelimited)
            {
                key = reader.ReadLengthDelimited();
            }
            else if (field == KeyValueValue && type == WireType.LengthDelimited)
            {
                value = reader.ReadLengthDelimited();
            }
            else
            {
                reader.Skip(type);
            }
        }

        if (keys is null)
        {
            attributes[Encoding.UTF8.GetString(key)] = Text(value);
        }
        else if (keys.Find(key) is { } known)
        {
            attributes[known] = Text(value);
        }

        return replaced?.Find(key) is not null;
    }

    /// <summary>An AnyValue as <see cref="OtlpValues.ToText"/> writes it; the rare composite values go through the parsed message.</summary>
    private static string Text(ReadOnlySpan<byte> anyValue)
    {
        var reader = new ProtoReader(anyValue);
        if (!reader.Next(out var field, out var type))
        {
            return "";
        }

        return (field, type) switch
        {
            (AnyValueString, WireType.LengthDelimited) => Encoding.UTF8.GetString(reader.ReadLengthDelimited()),
            (AnyValueBool, WireType.Varint) => reader.ReadVarint() != 0 ? "true" : "false",
            (AnyValueInt, WireType.Varint) => OtlpValues.ToText(new AnyValue { IntValue = (long)reader.ReadVarint() }),
            (AnyValueDouble, WireType.Fixed64) => OtlpValues.ToText(new AnyValue { DoubleValue = BitConverter.UInt64BitsToDouble(reader.ReadFixed64()) }),
            _ => OtlpValues.ToText(AnyValue.Parser.ParseFrom(anyValue)),
        };
    }

    /// <summary>What every span of one request reuses: its attributes' dictionary and the buffer its names are written to.</summary>
    private sealed class Scratch : IDisposable
    {
        public Dictionary<string, string> SpanAttributes { get; } = new(StringComparer.Ordinal);

        public ProtoWriter Names { get; } = new(1024);

        public void Dispose() => Names.Dispose();
    }

    /// <summary>
    /// A few known keys, found from their UTF-8 bytes: every attribute of every span is looked up, and most are not among
    /// them, so no key is decoded to a string to find out.
    /// </summary>
    private sealed class Utf8Keys
    {
        private readonly (byte[] Utf8, string Key)[][] _byLength;

        public Utf8Keys(IEnumerable<string> keys)
        {
            var encoded = keys.Select(key => (Utf8: Encoding.UTF8.GetBytes(key), Key: key)).ToList();
            _byLength = new (byte[], string)[encoded.Max(key => key.Utf8.Length) + 1][];
            for (var length = 0; length < _byLength.Length; length++)
            {
                _byLength[length] = [.. encoded.Where(key => key.Utf8.Length == length)];
            }
        }

        public string? Find(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length >= _byLength.Length)
            {
                return null;
            }

            foreach (var (bytes, key) in _byLength[utf8.Length])
            {
                if (utf8.SequenceEqual(bytes))
                {
                    return key;
                }
            }

            return null;
        }
    }
}
