using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>A span as the Aspire dashboard's telemetry API returns it (OTLP JSON), flattened for assertions.</summary>
public sealed record DashboardSpan(
    string Service,
    string SpanId,
    string? ParentSpanId,
    string Name,
    ActivityKind Kind,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyDictionary<string, string> ResourceAttributes,
    bool IsError = false,
    IReadOnlyList<string>? EventNames = null);

public static class DashboardSpans
{
    /// <summary>A W3C trace context of the test's own, so that the request's trace is known before it is sent.</summary>
    public static (string TraceId, string TraceParent) NewTraceContext()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        return (traceId, $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
    }

    /// <summary>POSTs with a trace context of the test's own, whose trace id it returns with the answer's status.</summary>
    public static async Task<(string TraceId, System.Net.HttpStatusCode Status)> PostTracedAsync(HttpClient notes, string url)
    {
        var (traceId, traceParent) = NewTraceContext();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Headers = { { "traceparent", traceParent } } };
        using var response = await notes.SendAsync(request);
        return (traceId, response.StatusCode);
    }

    /// <summary>Polls <c>/api/telemetry/spans?traceId=</c> until the trace's spans satisfy <paramref name="complete"/>.</summary>
    public static async Task<IReadOnlyList<DashboardSpan>> WaitForTraceAsync(
        HttpClient api, string traceId, Func<IReadOnlyList<DashboardSpan>, bool> complete)
    {
        IReadOnlyList<DashboardSpan> spans = [];
        var found = await Eventually.IsTrue(async () =>
        {
            spans = await GetAsync(api, traceId);
            return complete(spans);
        });
        Assert.True(found, $"The trace {traceId} never completed; it has: {string.Join(", ", spans.Select(span => $"{span.Service}:{span.Name}"))}");
        return spans;
    }

    public static async Task<IReadOnlyList<DashboardSpan>> GetAsync(HttpClient api, string traceId)
    {
        using var response = await api.GetAsync($"/api/telemetry/spans?traceId={traceId}&limit=1000");
        if (!response.IsSuccessStatusCode)
        {
            // 404: no resource has sent telemetry yet.
            return [];
        }

        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        var spans = new List<DashboardSpan>();
        foreach (var resourceSpans in body?["data"]?["resourceSpans"]?.AsArray() ?? [])
        {
            var resource = Attributes(resourceSpans?["resource"]?["attributes"]);
            foreach (var scopeSpans in resourceSpans?["scopeSpans"]?.AsArray() ?? [])
            {
                foreach (var span in scopeSpans?["spans"]?.AsArray() ?? [])
                {
                    var parent = span?["parentSpanId"]?.GetValue<string>();
                    spans.Add(new DashboardSpan(
                        resource.GetValueOrDefault("service.name", ""),
                        span!["spanId"]!.GetValue<string>(),
                        string.IsNullOrEmpty(parent) ? null : parent,
                        span["name"]!.GetValue<string>(),
                        KindOf(span["kind"]),
                        Attributes(span["attributes"]),
                        resource,
                        // OTLP's status code 2 is ERROR.
                        span["status"]?["code"]?.GetValueKind() == System.Text.Json.JsonValueKind.Number && span["status"]!["code"]!.GetValue<int>() == 2,
                        [.. (span["events"]?.AsArray() ?? []).Select(e => e?["name"]?.GetValue<string>() ?? "")]));
                }
            }
        }

        return spans;
    }

    public static IEnumerable<DashboardSpan> AncestorsOf(DashboardSpan span, IReadOnlyList<DashboardSpan> spans)
    {
        for (var parent = spans.FirstOrDefault(s => s.SpanId == span.ParentSpanId); parent is not null; parent = spans.FirstOrDefault(s => s.SpanId == parent.ParentSpanId))
        {
            yield return parent;
        }
    }

    /// <summary>OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.</summary>
    private static ActivityKind KindOf(JsonNode? kind) => (kind?.GetValueKind() == System.Text.Json.JsonValueKind.Number ? kind.GetValue<int>() : 0) switch
    {
        2 => ActivityKind.Server,
        3 => ActivityKind.Client,
        4 => ActivityKind.Producer,
        5 => ActivityKind.Consumer,
        _ => ActivityKind.Internal,
    };

    private static Dictionary<string, string> Attributes(JsonNode? attributes)
    {
        var values = new Dictionary<string, string>();
        foreach (var attribute in attributes?.AsArray() ?? [])
        {
            var value = attribute?["value"]?.AsObject().FirstOrDefault().Value;
            values[attribute!["key"]!.GetValue<string>()] = value?.ToString() ?? "";
        }

        return values;
    }
}
