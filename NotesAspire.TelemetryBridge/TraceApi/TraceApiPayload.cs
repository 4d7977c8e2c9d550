using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using Nerdbank.MessagePack;
using NotesAspire.TelemetryBridge.Naming;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using SpanKind = NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types.SpanKind;

namespace NotesAspire.TelemetryBridge.TraceApi;

/// <summary>
/// An OTLP trace export as the Datadog agent's trace API takes it (<c>/v0.4/traces</c>): a MessagePack array of traces,
/// each an array of spans (maps). The names come from <see cref="DatadogNaming"/>, the code that also writes the
/// dashboard's preview; the rest follows what the agent itself does with an OTLP span (docs/datadog.md).
/// </summary>
public static class TraceApiPayload
{
    public const string SamplingPriorityKey = "_sampling_priority_v1";
    public const string TopLevelKey = "_top_level";
    public const string TracerTopLevelKey = "_dd.top_level";
    public const string MeasuredKey = "_dd.measured";
    public const string TraceIdHighKey = "_dd.p.tid";

    /// <param name="Body">The MessagePack body.</param>
    /// <param name="TraceCount">Traces (chunks) in it: the <c>X-Datadog-Trace-Count</c> header.</param>
    public sealed record Payload(byte[] Body, int TraceCount);

    /// <summary>
    /// The payload of <paramref name="request"/>; <see cref="InvalidDataException"/> once it passes
    /// <paramref name="maxBytes"/>, at most a span later: each span repeats its resource and scope, so a small request
    /// can make a payload hundreds of times its size. The receivers take such a request (the dashboard's copy is fine);
    /// only this copy is refused, and counted rejected by the sender.
    /// </summary>
    public static Payload From(ExportTraceServiceRequest request, int maxBytes)
    {
        // One chunk per trace id, in the order they came; a trace split over several exports becomes several chunks,
        // which the agent and Datadog join by trace id.
        var chunks = new Dictionary<ByteString, List<(Span Span, InstrumentationScope? Scope, Dictionary<string, string> Resource)>>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = OtlpValues.ToDictionary(resourceSpans.Resource?.Attributes);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    if (!chunks.TryGetValue(span.TraceId, out var chunk))
                    {
                        chunks[span.TraceId] = chunk = [];
                    }

                    chunk.Add((span, scopeSpans.Scope, resource));
                }
            }
        }

        var buffer = new ArrayBufferWriter<byte>(Math.Min(Math.Max(request.CalculateSize() * 2, 256), maxBytes));
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(chunks.Count);
        foreach (var chunk in chunks.Values)
        {
            writer.WriteArrayHeader(chunk.Count);
            for (var i = 0; i < chunk.Count; i++)
            {
                var (span, scope, resource) = chunk[i];
                WriteSpan(ref writer, ToDatadog(span, scope, resource, firstOfChunk: i == 0));
                if (writer.UnflushedBytes + buffer.WrittenCount > maxBytes)
                {
                    throw new InvalidDataException($"The trace API payload would be larger than {maxBytes} bytes.");
                }
            }
        }

        writer.Flush();
        return new Payload(buffer.WrittenSpan.ToArray(), chunks.Count);
    }

    /// <summary>One span as the trace API takes it; public for the tests of the rules.</summary>
    public static DatadogSpan ToDatadog(Span span, InstrumentationScope? scope, IReadOnlyDictionary<string, string> resource, bool firstOfChunk)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var spanAttributes = AddAttributes(meta, metrics, resource, span);

        var names = DatadogNaming.Describe(new OtlpSpanFacts(span.Name, span.Kind, spanAttributes, resource));
        Set(meta, "env", names.Env);
        Set(meta, "version", names.Version);
        AddOtelMeta(meta, span, scope);

        // Datadog's stats group by http.status_code; semantic conventions 1.23+ write http.response.status_code.
        if (!meta.ContainsKey("http.status_code") && spanAttributes.TryGetValue("http.response.status_code", out var statusCode))
        {
            meta["http.status_code"] = statusCode;
        }

        var error = span.Status?.Code == Status.Types.StatusCode.Error;
        if (error)
        {
            AddErrorMeta(meta, span);
        }

        // The 64-bit ids are the low 8 bytes of the W3C ids; the high half of the trace id travels as _dd.p.tid.
        var traceId = span.TraceId.Span;
        var traceIdHigh = traceId.Length == 16 ? BinaryPrimitives.ReadUInt64BigEndian(traceId[..8]) : 0;
        if (firstOfChunk && traceIdHigh != 0)
        {
            meta[TraceIdHighKey] = traceIdHigh.ToString("x16", CultureInfo.InvariantCulture);
        }

        var parentId = Id(span.ParentSpanId.Span);
        AddTopLevelMetrics(metrics, span.Kind, isRoot: parentId == 0);

        var start = (long)Math.Min(span.StartTimeUnixNano, long.MaxValue);
        var end = (long)Math.Min(span.EndTimeUnixNano, long.MaxValue);
        return new DatadogSpan(
            names.Service,
            names.OperationName,
            names.Resource,
            names.SpanType,
            Id(traceId),
            Id(span.SpanId.Span),
            parentId,
            start,
            Math.Max(0, end - start),
            error ? 1 : 0,
            meta,
            metrics);
    }

    /// <summary>
    /// As the agent does for OTLP: the resource's attributes on every span, then the span's own (numbers as metrics).
    /// Returns the span's own attributes as text, for the naming rules.
    /// </summary>
    private static Dictionary<string, string> AddAttributes(
        Dictionary<string, string> meta, Dictionary<string, double> metrics, IReadOnlyDictionary<string, string> resource, Span span)
    {
        foreach (var (key, value) in resource)
        {
            meta[key] = value;
        }

        var spanAttributes = new Dictionary<string, string>(span.Attributes.Count, StringComparer.Ordinal);
        foreach (var attribute in span.Attributes)
        {
            var text = OtlpValues.ToText(attribute.Value);
            spanAttributes[attribute.Key] = text;
            switch (attribute.Value?.ValueCase)
            {
                case AnyValue.ValueOneofCase.IntValue:
                    metrics[attribute.Key] = attribute.Value.IntValue;
                    break;
                case AnyValue.ValueOneofCase.DoubleValue:
                    metrics[attribute.Key] = attribute.Value.DoubleValue;
                    break;
                default:
                    meta[attribute.Key] = text;
                    break;
            }
        }

        return spanAttributes;
    }

    /// <summary>What the agent keeps of an OTLP span's own fields: its kind, trace id, scope and status.</summary>
    private static void AddOtelMeta(Dictionary<string, string> meta, Span span, InstrumentationScope? scope)
    {
        meta["span.kind"] = KindName(span.Kind);
        meta["otel.trace_id"] = Convert.ToHexStringLower(span.TraceId.Span);
        Set(meta, "otel.scope.name", scope?.Name);
        Set(meta, "otel.library.name", scope?.Name);
        Set(meta, "otel.scope.version", scope?.Version);
        Set(meta, "otel.library.version", scope?.Version);
        if (span.Status is { } status)
        {
            meta["otel.status_code"] = status.Code switch
            {
                Status.Types.StatusCode.Ok => "Ok",
                Status.Types.StatusCode.Error => "Error",
                _ => "Unset",
            };
            Set(meta, "otel.status_description", status.Message);
        }
    }

    /// <summary>A failed span's error.msg, error.type and error.stack, from its last exception event, else its status.</summary>
    private static void AddErrorMeta(Dictionary<string, string> meta, Span span)
    {
        var exception = span.Events.LastOrDefault(e => e.Name == "exception");
        var exceptionAttributes = OtlpValues.ToDictionary(exception?.Attributes);
        Set(meta, "error.msg", exceptionAttributes.GetValueOrDefault("exception.message") is { Length: > 0 } message ? message : span.Status!.Message);
        Set(meta, "error.type", exceptionAttributes.GetValueOrDefault("exception.type"));
        Set(meta, "error.stack", exceptionAttributes.GetValueOrDefault("exception.stacktrace"));
    }

    /// <summary>
    /// Top level (a service's entry: where Datadog's APM stats are computed) by span kind, as the agent does for OTLP: a
    /// root, a server or a consumer span. It does not depend on which export the parent came in, hence the
    /// Datadog-Client-Computed-Top-Level header. Client and producer spans are measured, so they get stats too.
    /// </summary>
    private static void AddTopLevelMetrics(Dictionary<string, double> metrics, SpanKind kind, bool isRoot)
    {
        if (isRoot || kind is SpanKind.Server or SpanKind.Consumer)
        {
            metrics[TopLevelKey] = 1;
            metrics[TracerTopLevelKey] = 1;
        }
        else if (kind is SpanKind.Client or SpanKind.Producer)
        {
            metrics[MeasuredKey] = 1;
        }

        // Kept (auto keep): the services sample nothing out, so neither does the agent.
        metrics[SamplingPriorityKey] = 1;
    }

    private static void WriteSpan(ref MessagePackWriter writer, DatadogSpan span)
    {
        writer.WriteMapHeader(12);
        writer.Write("service");
        writer.Write(span.Service);
        writer.Write("name");
        writer.Write(span.Name);
        writer.Write("resource");
        writer.Write(span.Resource);
        writer.Write("type");
        writer.Write(span.Type);
        writer.Write("trace_id");
        writer.Write(span.TraceId);
        writer.Write("span_id");
        writer.Write(span.SpanId);
        writer.Write("parent_id");
        writer.Write(span.ParentId);
        writer.Write("start");
        writer.Write(span.Start);
        writer.Write("duration");
        writer.Write(span.Duration);
        writer.Write("error");
        writer.Write(span.Error);
        writer.Write("meta");
        writer.WriteMapHeader(span.Meta.Count);
        foreach (var (key, value) in span.Meta)
        {
            writer.Write(key);
            writer.Write(value);
        }

        writer.Write("metrics");
        writer.WriteMapHeader(span.Metrics.Count);
        foreach (var (key, value) in span.Metrics)
        {
            writer.Write(key);
            writer.Write(value);
        }
    }

    private static ulong Id(ReadOnlySpan<byte> id) => id.Length >= 8 ? BinaryPrimitives.ReadUInt64BigEndian(id[^8..]) : 0;

    // The agent's own spelling for OTLP spans (meta span.kind).
    private static string KindName(SpanKind kind) => kind switch
    {
        SpanKind.Server => "server",
        SpanKind.Client => "client",
        SpanKind.Producer => "producer",
        SpanKind.Consumer => "consumer",
        SpanKind.Internal => "internal",
        _ => "unspecified",
    };

    private static void Set(Dictionary<string, string> meta, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            meta[key] = value;
        }
    }
}
