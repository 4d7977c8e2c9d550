using NotesAspire.Dashboard.Naming;
using NotesAspire.Dashboard.Otlp;
using NotesAspire.Dashboard.Otlp.Proto;
using NotesAspire.Dashboard.Telemetry;
using SpanKind = NotesAspire.Dashboard.Telemetry.SpanKind;

namespace NotesAspire.Dashboard.Storage;

/// <summary>Builds what the API returns from stored spans, outside the store's lock.</summary>
internal static class TraceViews
{
    public static TraceSummary Summarize(string traceId, IReadOnlyList<StoredSpan> spans)
    {
        var start = spans.Min(s => s.Proto.StartTimeUnixNano);
        var end = spans.Max(s => Math.Max(s.Proto.EndTimeUnixNano, s.Proto.StartTimeUnixNano));
        var root = FindRoot(spans);
        var services = spans.Select(s => s.Resource.ServiceName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new TraceSummary(
            traceId,
            OtlpValues.ToTime(start),
            Milliseconds(end - start),
            root.Resource.ServiceName,
            root.Proto.Name,
            DatadogNaming.Resource(Facts(root)),
            spans.Count,
            spans.Count(s => s.Proto.Status?.Code == Status.Types.StatusCode.Error),
            services);
    }

    public static TraceDetail Detail(string traceId, IReadOnlyList<StoredSpan> spans)
    {
        var start = spans.Min(s => s.Proto.StartTimeUnixNano);
        var details = InTreeOrder(spans).Select(span => ToDetail(span, start)).ToList();
        return new TraceDetail(Summarize(traceId, spans), details);
    }

    public static OtlpSpanFacts Facts(StoredSpan stored)
    {
        var span = stored.Proto;
        return new OtlpSpanFacts(
            OtlpValues.ToHex(span.TraceId),
            OtlpValues.ToHex(span.SpanId),
            span.Name,
            (SpanKind)(int)span.Kind,
            OtlpValues.ToDictionary(span.Attributes),
            stored.Resource.Attributes,
            span.Status?.Code == Status.Types.StatusCode.Error,
            span.Status?.Message,
            span.Events.Select(ToEvent).ToList());
    }

    private static SpanDetail ToDetail(StoredSpan stored, ulong traceStart)
    {
        var span = stored.Proto;
        var facts = Facts(stored);
        var end = Math.Max(span.EndTimeUnixNano, span.StartTimeUnixNano);
        return new SpanDetail(
            facts.TraceId,
            facts.SpanId,
            OtlpValues.ToHexOrNull(span.ParentSpanId),
            span.Name,
            facts.Kind,
            stored.Resource.ServiceName,
            stored.Scope,
            OtlpValues.ToTime(span.StartTimeUnixNano),
            OtlpValues.ToTime(end),
            Milliseconds(span.StartTimeUnixNano - traceStart),
            Milliseconds(end - span.StartTimeUnixNano),
            (SpanStatusCode)(int)(span.Status?.Code ?? Status.Types.StatusCode.Unset),
            string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status.Message,
            facts.Attributes,
            facts.Events ?? [],
            stored.Resource.Attributes,
            DatadogNaming.Describe(facts));
    }

    private static SpanEvent ToEvent(Span.Types.Event e) =>
        new(e.Name, OtlpValues.ToTime(e.TimeUnixNano), OtlpValues.ToDictionary(e.Attributes));

    /// <summary>The earliest span whose parent is not in the trace (not yet received, or none).</summary>
    private static StoredSpan FindRoot(IReadOnlyList<StoredSpan> spans)
    {
        var ids = spans.Select(s => s.Proto.SpanId).ToHashSet();
        return spans.Where(s => !ids.Contains(s.Proto.ParentSpanId)).MinBy(s => s.Proto.StartTimeUnixNano)
            ?? spans.MinBy(s => s.Proto.StartTimeUnixNano)!;
    }

    /// <summary>Parents before their children, siblings by start time: the order of the waterfall's rows.</summary>
    private static List<StoredSpan> InTreeOrder(IReadOnlyList<StoredSpan> spans)
    {
        var byStart = spans.OrderBy(s => s.Proto.StartTimeUnixNano).ToList();
        var ids = byStart.Select(s => s.Proto.SpanId).ToHashSet();
        var children = byStart.ToLookup(s => s.Proto.ParentSpanId);
        var ordered = new List<StoredSpan>(spans.Count);
        var visited = new HashSet<StoredSpan>(ReferenceEqualityComparer.Instance);

        void Visit(StoredSpan span)
        {
            if (!visited.Add(span))
            {
                return;
            }

            ordered.Add(span);
            foreach (var child in children[span.Proto.SpanId])
            {
                Visit(child);
            }
        }

        foreach (var root in byStart.Where(s => !ids.Contains(s.Proto.ParentSpanId)))
        {
            Visit(root);
        }

        // Spans caught in a parent cycle (only a broken sender makes those) still get shown.
        foreach (var span in byStart)
        {
            Visit(span);
        }

        return ordered;
    }

    private static double Milliseconds(ulong nanoseconds) => nanoseconds / 1_000_000.0;
}
