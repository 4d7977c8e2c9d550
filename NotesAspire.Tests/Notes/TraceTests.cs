using NotesAspire.Dashboard.Telemetry;
using NotesAspire.Tests.Dashboard;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

/// <summary>What the tutorial is about: one request, one trace across both services, with Datadog's unified service tags.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TraceTests(PostgresFixture postgres, DashboardFixture dashboard) : NotesAppTests(postgres), IClassFixture<DashboardFixture>
{
    protected override IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.Server.OtlpGrpcUrl.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        // Export every 200 ms instead of 5 s, so the test waits less for the spans.
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["DD_ENV"] = "test",
        ["DD_VERSION"] = "1.10.0",
    };

    [Fact]
    public async Task PostWithAddDateMakesOneTraceAcrossNotesPostgresAndCalendar()
    {
        using var response = await Notes.PostAsync("/notes?desc=Traced&add_date=y", null);
        response.EnsureSuccessStatusCode();

        var trace = await dashboard.Api.WaitForTraceAsync(spans =>
            spans.Any(span => span.ParentSpanId is null && span.Kind == SpanKind.Server)
            && spans.Any(span => span.Service == "calendar" && span.Kind == SpanKind.Server)
            && spans.Any(span => span.Datadog.SpanType == "sql"));
        var spans = trace.Spans;

        var root = Assert.Single(spans, span => span.ParentSpanId is null);
        Assert.Equal(("notes", SpanKind.Server, "POST /notes"), (root.Service, root.Kind, root.Name));

        var database = spans.Where(span => span.Service == "notes" && span.Kind == SpanKind.Client && span.Datadog.SpanType == "sql").ToList();
        Assert.NotEmpty(database);
        Assert.All(database, span => Assert.Contains(root, Traces.AncestorsOf(span, spans)));

        var call = Assert.Single(spans, span => span.Service == "notes" && span.Kind == SpanKind.Client && span.Datadog.SpanType == "http");
        Assert.Contains(root, Traces.AncestorsOf(call, spans));

        var calendar = Assert.Single(spans, span => span.Service == "calendar" && span.Kind == SpanKind.Server);
        Assert.Equal(call.SpanId, calendar.ParentSpanId);

        foreach (var (span, service) in new[] { (root, "notes"), (calendar, "calendar") })
        {
            Assert.Equal(service, span.ResourceAttributes["service.name"]);
            Assert.Equal("test", span.ResourceAttributes["deployment.environment.name"]);
            Assert.Equal("1.10.0", span.ResourceAttributes["service.version"]);
        }
    }

    [Fact]
    public async Task CustomSpansMarkTheBusinessSteps()
    {
        using var response = await Notes.PostAsync("/notes?desc=Stepped&add_date=y", null);
        response.EnsureSuccessStatusCode();

        // AddDate ends (and may be exported) before CreateNote, its parent: wait for both.
        var trace = await dashboard.Api.WaitForTraceAsync(spans => spans.Any(span => span.Name == "AddDate") && spans.Any(span => span.Name == "CreateNote"));

        var create = Assert.Single(trace.Spans, span => span.Name == "CreateNote");
        var addDate = Assert.Single(trace.Spans, span => span.Name == "AddDate");
        Assert.Equal(create.SpanId, addDate.ParentSpanId);
        Assert.True(create.Attributes.ContainsKey("note.id"));
    }

    [Fact]
    public async Task HealthProbesAreKeptOutOfTraces()
    {
        await Notes.GetStringAsync("/health");
        await Notes.GetStringAsync("/alive");
        using var marker = await Notes.PostAsync("/notes?desc=Marker", null);

        await dashboard.Api.WaitForTraceAsync(spans => spans.Any(span => span.Name == "POST /notes" && span.ParentSpanId is null));

        var traces = await dashboard.Api.GetTracesAsync("?limit=1000");
        Assert.DoesNotContain(traces, trace => trace.RootName.Contains("/health") || trace.RootName.Contains("/alive"));
    }
}
