using Google.Protobuf.Collections;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Otlp.Proto;

namespace NotesAspire.TelemetryBridge.Naming;

/// <summary>
/// Writes onto each span of the dashboard's copy the names Datadog will give it, so the dashboard shows what to look
/// for in Datadog. The Datadog agent's OTLP copy never gets these: it names spans itself; the trace API's copy is named
/// by the same <see cref="DatadogNaming.Describe(Span, IReadOnlyDictionary{string, string}, IReadOnlyDictionary{string, string})"/>.
/// </summary>
public static class DatadogAttributes
{
    public const string OperationName = "datadog.operation_name";
    public const string Resource = "datadog.resource";
    public const string SpanType = "datadog.span_type";
    public const string Service = "datadog.service";
    public const string Env = "datadog.env";
    public const string Version = "datadog.version";

    /// <summary>A copy of <paramref name="request"/> with the names added; the request itself is left as it is.</summary>
    public static ExportTraceServiceRequest AddTo(ExportTraceServiceRequest request) => AddInPlace(request.Clone());

    /// <summary>Adds the names to the spans of <paramref name="request"/> itself, for a request nobody else reads any more.</summary>
    public static ExportTraceServiceRequest AddInPlace(ExportTraceServiceRequest request)
    {
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = OtlpValues.ToDictionary(resourceSpans.Resource?.Attributes);
            foreach (var span in resourceSpans.ScopeSpans.SelectMany(scope => scope.Spans))
            {
                var names = DatadogNaming.Describe(span, OtlpValues.ToDictionary(span.Attributes), resource);
                Set(span.Attributes, OperationName, names.OperationName);
                Set(span.Attributes, Resource, names.Resource);
                Set(span.Attributes, SpanType, names.SpanType);
                Set(span.Attributes, Service, names.Service);
                Set(span.Attributes, Env, names.Env);
                Set(span.Attributes, Version, names.Version);
            }
        }

        return request;
    }

    // OTLP keys are unique within a span: replace a value a sender may have set rather than add a second one.
    private static void Set(RepeatedField<KeyValue> attributes, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        var attribute = new KeyValue { Key = key, Value = new AnyValue { StringValue = value } };
        for (var i = 0; i < attributes.Count; i++)
        {
            if (attributes[i].Key == key)
            {
                attributes[i] = attribute;
                return;
            }
        }

        attributes.Add(attribute);
    }
}
