using Aspire.Hosting.Testing;
using Nerdbank.MessagePack;
using NotesAspire.Tests.Infrastructure;
using NotesAspire.Tests.TelemetryBridge;

namespace NotesAspire.Tests.AppHost;

public sealed class TraceApiAppHostTests(TraceApiAppHostFixture apphost) : IClassFixture<TraceApiAppHostFixture>
{
    [Fact]
    public async Task APostWithAddDateReachesTheAgentsTraceApiAsOneTraceAcrossNotesPostgresAndCalendar()
    {
        var (traceId, traceParent) = DashboardSpans.NewTraceContext();
        var callerSpanId = Convert.ToUInt64(traceParent.Split('-')[2], 16);
        using var notes = apphost.App.CreateHttpClient("notes");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/notes?desc=x&add_date=y") { Headers = { { "traceparent", traceParent } } };
        (await notes.SendAsync(request)).EnsureSuccessStatusCode();

        List<TraceApiSpan> Spans() => apphost.Agent.Spans.Where(span => span.Meta.GetValueOrDefault("otel.trace_id") == traceId).ToList();
        Assert.True(
            await Eventually.IsTrue(() => Spans() is var spans
                && spans.Any(span => span.Service == "calendar" && span.Type == "web")
                && spans.Any(span => span.Name == "postgresql.query")
                && spans.Any(span => span.Service == "notes" && span.Name == "http.server.request")),
            $"Spans of the trace: {string.Join("; ", Spans())}{Environment.NewLine}{apphost.TelemetryConsole}");
        var spans = Spans();

        // One trace: the low 64 bits of the W3C id, the high ones as _dd.p.tid.
        Assert.All(spans, span => Assert.Equal(Convert.ToUInt64(traceId[16..], 16), span.TraceId));
        Assert.Contains(spans, span => span.Meta.GetValueOrDefault("_dd.p.tid") == traceId[..16]);

        var root = Assert.Single(spans, span => span.Service == "notes" && span.Name == "http.server.request");
        Assert.Equal(("POST /notes", "web", callerSpanId, 0), (root.Resource, root.Type, root.ParentId, root.Error));
        Assert.Equal((1.0, 1.0), (root.Metrics["_top_level"], root.Metrics["_sampling_priority_v1"]));
        var query = spans.First(span => span.Name == "postgresql.query");
        Assert.Equal(("notes", "sql", 1.0), (query.Service, query.Type, query.Metrics["_dd.measured"]));
        Assert.StartsWith("INSERT INTO notes", query.Resource, StringComparison.OrdinalIgnoreCase);
        var calendar = Assert.Single(spans, span => span.Service == "calendar" && span.Type == "web");
        Assert.Equal(("http.server.request", "GET /calendar", 1.0), (calendar.Name, calendar.Resource, calendar.Metrics["_top_level"]));

        // Every span hangs off another of the trace, up to the caller's; types as the agent's decoder reads them.
        var ids = spans.Select(span => span.SpanId).Append(callerSpanId).ToHashSet();
        Assert.All(spans, span =>
        {
            Assert.Contains(span.ParentId, ids);
            Assert.Equal(("dev", "0.1.0"), (span.Meta["env"], span.Meta["version"]));
            Assert.True(span.Start > 1_700_000_000_000_000_000L && span.Duration > 0, $"{span}: start {span.Start}, duration {span.Duration}");
            Assert.Equal(
                [MessagePackType.Integer, MessagePackType.Integer, MessagePackType.Integer, MessagePackType.Integer],
                new[] { "trace_id", "start", "duration", "error" }.Select(field => span.Types[field]));
            Assert.All(span.MetricTypes.Values, type => Assert.Equal(MessagePackType.Float, type));
        });

        // The consoles say where Datadog's data goes, and what this path does not carry.
        Assert.True(await Eventually.IsTrue(() => apphost.TelemetryConsole.Contains("Datadog: sending traces to the agent's trace API", StringComparison.Ordinal)), apphost.TelemetryConsole);
        Assert.Contains("Datadog: to the agent on 127.0.0.1 (DD_AGENT_HOST)", apphost.TelemetryConsole);
        Assert.Contains($"no OTLP/HTTP receiver at http://127.0.0.1:{apphost.ClosedOtlpPort}/", apphost.TelemetryConsole);
        Assert.Contains("logs and metrics are not sent to Datadog on this path", apphost.TelemetryConsole);
    }
}
