using System.Diagnostics;
using System.Net;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Google.Protobuf;
using NotesAspire.TelemetryBridge.Otlp.Proto;
using NotesAspire.Tests.Infrastructure;
using NotesAspire.Tests.TelemetryBridge;

namespace NotesAspire.Tests.AppHost;

/// <summary>What the tutorial is about, seen where its users look: one request, one trace across both services, in the dashboard.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardTraceTests(AppHostFixture apphost)
{
    [Fact]
    public async Task PostWithAddDateIsOneTraceAcrossNotesPostgresAndCalendar()
    {
        var spans = await SendTracedAsync("/notes?desc=Traced&add_date=y", spans =>
            spans.Any(span => span.Service == "calendar" && span.Kind == ActivityKind.Server)
            && spans.Any(span => span.Attributes.ContainsKey("db.system.name"))
            && spans.Any(span => span.Name == "CreateNote")
            && spans.Any(span => span.Name == "AddDate")
            && spans.Any(span => span.Service == "notes" && span.Kind == ActivityKind.Server));

        var root = Assert.Single(spans, span => span.Service == "notes" && span.Kind == ActivityKind.Server);
        Assert.Equal("POST /notes", root.Name);

        var queries = spans.Where(span => span.Service == "notes" && span.Attributes.ContainsKey("db.system.name")).ToList();
        Assert.NotEmpty(queries);
        Assert.All(queries, query =>
        {
            Assert.Equal(ActivityKind.Client, query.Kind);
            // Both names, so that every Datadog Agent version names it postgresql.query of type sql.
            Assert.Equal("postgresql", query.Attributes["db.system"]);
            // The data source by its name, not by its connection string (host, user, database, pool settings).
            Assert.Equal("notesdb", query.Attributes["db.npgsql.data_source"]);
            Assert.Contains(root, DashboardSpans.AncestorsOf(query, spans));
        });

        var call = Assert.Single(spans, span => span.Service == "notes" && span.Kind == ActivityKind.Client && span.Attributes.ContainsKey("http.request.method"));
        var calendar = Assert.Single(spans, span => span.Service == "calendar" && span.Kind == ActivityKind.Server);
        Assert.Equal(call.SpanId, calendar.ParentSpanId);
        Assert.Contains(root, DashboardSpans.AncestorsOf(call, spans));

        var create = Assert.Single(spans, span => span.Name == "CreateNote");
        var addDate = Assert.Single(spans, span => span.Name == "AddDate");
        Assert.Equal(create.SpanId, addDate.ParentSpanId);

        foreach (var span in new[] { root, calendar })
        {
            Assert.Equal(span.Service, span.ResourceAttributes["service.name"]);
            Assert.Equal("dev", span.ResourceAttributes["deployment.environment.name"]);
            Assert.Equal("0.1.0", span.ResourceAttributes["service.version"]);
        }
    }

    [Fact]
    public async Task AnExportPastTheDashboardsLimitReachesItInParts()
    {
        // 48 spans of 100 KB: about 4.8 MB, past the 4 MiB the dashboard takes in one request.
        var traceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray());
        var spans = Enumerable.Range(0, 48)
            .Select(i => Otlp.Span($"bulk {i}", Span.Types.SpanKind.Internal, ("payload", new string('x', 100_000))))
            .ToArray();
        foreach (var span in spans)
        {
            span.TraceId = traceId;
        }

        using var bridge = new HttpClient { BaseAddress = apphost.App.GetEndpoint("telemetry", "otlp-http") };
        using var response = await bridge.PostAsync("/v1/traces", Otlp.Protobuf(Otlp.Trace(Otlp.Resource("bulk"), spans).ToByteArray()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var api = apphost.CreateTelemetryApiClient();
        var arrived = await DashboardSpans.WaitForTraceAsync(api, Convert.ToHexStringLower(traceId.Span), found => found.Count == spans.Length);
        Assert.Equal(spans.Select(span => span.Name).Order(), arrived.Select(span => span.Name).Order());
    }

    [Fact]
    public async Task HealthProbesAreKeptOutOfTraces()
    {
        using var api = apphost.CreateTelemetryApiClient();
        // Aspire probes /health every few seconds; by the time a request of ours is seen, several probes have run.
        var marker = await SendTracedAsync("/notes?desc=Marker", spans => spans.Count > 0);

        var body = await api.GetStringAsync("/api/telemetry/spans?limit=10000");
        // The listing reaches as far as our request: what it lacks, it lacks for everything before it too.
        Assert.Contains(marker[0].SpanId, body);
        Assert.DoesNotContain("GET /health", body);
        Assert.DoesNotContain("GET /alive", body);
        // Nor the database query each probe of notes makes (a trace of its own, were it kept).
        Assert.DoesNotContain("SELECT 1", body);
    }

    [Fact]
    public async Task WhenTheCalendarIsDownTheCustomSpansShowTheError()
    {
        // Stopped as the dashboard's Stop button does: left stopped, unlike a crash.
        await apphost.App.StopResourceAsync("calendar");
        IReadOnlyList<DashboardSpan> spans;
        try
        {
            using var notes = apphost.CreateNotesClient();
            var (traceId, status) = await DashboardSpans.PostTracedAsync(notes, "/notes?desc=Undated&add_date=y");
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, status);

            using var api = apphost.CreateTelemetryApiClient();
            spans = await DashboardSpans.WaitForTraceAsync(api, traceId, spans => spans.Any(span => span.Name == "CreateNote") && spans.Any(span => span.Name == "AddDate"));
        }
        finally
        {
            // Not asserted here, which would hide the test's own failure: a calendar that does not start fails the wait.
            await apphost.App.ResourceCommands.ExecuteCommandAsync("calendar", KnownResourceCommands.StartCommand);
            await apphost.WaitUntilHealthyAsync("calendar");
        }

        foreach (var step in new[] { "CreateNote", "AddDate" })
        {
            var span = Assert.Single(spans, span => span.Name == step);
            Assert.True(span.IsError, $"{step} is not marked as an error.");
            Assert.Contains("exception", span.EventNames!);
        }
    }

    private async Task<IReadOnlyList<DashboardSpan>> SendTracedAsync(string url, Func<IReadOnlyList<DashboardSpan>, bool> complete)
    {
        using var notes = apphost.CreateNotesClient();
        var (traceId, status) = await DashboardSpans.PostTracedAsync(notes, url);
        Assert.Equal(System.Net.HttpStatusCode.Created, status);

        using var api = apphost.CreateTelemetryApiClient();
        return await DashboardSpans.WaitForTraceAsync(api, traceId, complete);
    }
}
