using Microsoft.Playwright;
using NotesAspire.Dashboard.Telemetry;
using NotesAspire.Tests.AppHost;
using NotesAspire.Tests.Dashboard;

namespace NotesAspire.Tests.Telemetry;

/// <summary>The dashboard as the AppHost serves it: the services' telemetry in <c>/api</c> and in a real browser.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardInTheAppHostTests(AppHostFixture fixture, ChromiumFixture chromium)
    : IClassFixture<AppHostFixture>, IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly DashboardApiClient _dashboard = new(fixture.Instance.DashboardUrl);

    private IsolatedAppHost Instance => fixture.Instance;

    public void Dispose() => _dashboard.Dispose();

    [Fact]
    public async Task PostWithAddDateShowsOneTraceInTheDashboard()
    {
        var trace = await _dashboard.WaitForNoteTraceAsync(await NoteTraces.PostNoteWithDateAsync(Instance.NotesUrl));
        var spans = trace.Spans;

        var root = Assert.Single(spans, span => span.ParentSpanId is null);
        Assert.Equal(("notes", SpanKind.Server), (root.Service, root.Kind));
        Assert.Equal(("http.server.request", "POST /notes", "web"), (root.Datadog.OperationName, root.Datadog.Resource, root.Datadog.SpanType));

        var queries = spans.Where(span => span.Datadog.OperationName == "postgresql.query").ToList();
        Assert.NotEmpty(queries);
        Assert.All(queries, query =>
        {
            Assert.Equal(("notes", SpanKind.Client, "sql"), (query.Service, query.Kind, query.Datadog.SpanType));
            Assert.Contains(root, Traces.AncestorsOf(query, spans));
        });

        var call = Assert.Single(spans, span => span.Datadog.OperationName == "http.client.request");
        Assert.Equal(("notes", "http"), (call.Service, call.Datadog.SpanType));
        Assert.Contains(root, Traces.AncestorsOf(call, spans));

        var calendar = Assert.Single(spans, span => span.Service == "calendar");
        Assert.Equal(call.SpanId, calendar.ParentSpanId);
        Assert.Equal(("http.server.request", "GET /calendar"), (calendar.Datadog.OperationName, calendar.Datadog.Resource));

        Assert.All(spans, span => Assert.Equal(("dev", "0.1.0"), (span.Datadog.Env, span.Datadog.Version)));
    }

    [Fact]
    public void ServicesSendTheirTelemetryToTheDashboard()
    {
        foreach (var service in new[] { "notes", "calendar" })
        {
            var environment = LinuxProcesses.EnvironmentOf(fixture.AppHost.CurrentProcessId(service)!.Value);

            Assert.Equal($"http://127.0.0.1:{Instance.OtlpGrpcPort}", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("grpc", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        }
    }

    [Fact]
    public void ConsoleGivesTheDashboardUrlAndSaysHowToSendTelemetryToDatadog()
    {
        Assert.Contains($"Dashboard: http://localhost:{Instance.DashboardPort}", fixture.AppHost.Lines);
        Assert.Contains(fixture.AppHost.Lines, line => line.StartsWith("Ready in ", StringComparison.Ordinal) && line.Contains($"dashboard http://localhost:{Instance.DashboardPort}"));
        Assert.Single(fixture.AppHost.Lines, line => line.StartsWith("Telemetry stays local. To send it to Datadog:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResourcesAndTheirConsoleLogsComeFromTheAppHost()
    {
        var resources = await _dashboard.GetResourcesAsync();

        Assert.Equal(["postgres", "notesdb", "calendar", "notes"], resources.Select(resource => resource.Name));
        var notes = Assert.Single(resources, resource => resource.Name == "notes");
        Assert.Equal(fixture.AppHost.CurrentProcessId("notes"), notes.ProcessId);
        Assert.Equal([Instance.NotesUrl.AbsoluteUri.TrimEnd('/')], notes.Endpoints);

        using var console = await _dashboard.Http.GetAsync("/api/resources/calendar/console");
        Assert.Contains("Now listening on", await console.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ResourcesPageShowsEveryResourceRunningAndHealthy()
    {
        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(Instance.DashboardUrl.ToString());

        foreach (var name in new[] { "postgres", "calendar", "notes" })
        {
            var row = page.Locator($"tr[data-resource='{name}']");
            await Assertions.Expect(row.Locator("td.state")).ToHaveTextAsync("Running");
            await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("Healthy");
        }

        await page.CloseAsync();
    }

    [Fact]
    public async Task TracePageShowsTheWaterfallOfAPostWithBothServices()
    {
        var trace = await _dashboard.WaitForNoteTraceAsync(await NoteTraces.PostNoteWithDateAsync(Instance.NotesUrl));

        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(Instance.DashboardUrl, $"#/traces/{trace.Summary.TraceId}").ToString());

        await Assertions.Expect(page.Locator(".waterfall .span-row")).ToHaveCountAsync(trace.Spans.Count);
        await Assertions.Expect(page.Locator(".span-row[data-service='notes']")).ToHaveCountAsync(trace.Spans.Count(span => span.Service == "notes"));
        await Assertions.Expect(page.Locator(".span-row[data-service='calendar']")).ToHaveCountAsync(1);
        await page.CloseAsync();
    }
}
