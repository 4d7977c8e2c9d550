using System.Diagnostics;
using Microsoft.Playwright;
using NotesAspire.Dashboard;
using OpenTelemetry.Exporter;

namespace NotesAspire.Tests.Dashboard;

public sealed class BrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly TestResourceCatalog _resources = new();
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync(TestDashboards.OnFreePorts(), _resources);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ResourcesPageShowsEveryResourceRunning()
    {
        string[] names = ["postgres", "notes", "calendar"];
        foreach (var name in names)
        {
            _resources.Add(TestResourceCatalog.Running(name));
        }

        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(_server.DashboardUrl.ToString());

        foreach (var name in names)
        {
            var row = page.Locator($"tr[data-resource='{name}']");
            await Assertions.Expect(row.Locator("td.state")).ToHaveTextAsync("Running");
        }

        Assert.Equal(names.Length, await page.Locator("tr[data-resource]").CountAsync());
        await page.CloseAsync();
    }

    [Fact]
    public async Task TracePageShowsTheWaterfallWithBothServices()
    {
        var traceId = SendTraceAcrossNotesAndCalendar();

        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_server.DashboardUrl, $"#/traces/{traceId}").ToString());

        var rows = page.Locator(".waterfall .span-row");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator(".span-row[data-service='notes']")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".span-row[data-service='calendar']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".legend")).ToContainTextAsync("notes");
        await Assertions.Expect(page.Locator(".legend")).ToContainTextAsync("calendar");

        await page.Locator(".span-row[data-service='calendar']").ClickAsync();
        var datadog = page.Locator("[data-panel='datadog']");
        await Assertions.Expect(datadog).ToContainTextAsync("http.server.request");
        await Assertions.Expect(datadog).ToContainTextAsync("GET /calendar");
        await page.CloseAsync();
    }

    [Fact]
    public async Task TracesPageListsTheTraceAndLeadsToItsWaterfall()
    {
        var traceId = SendTraceAcrossNotesAndCalendar();

        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(_server.DashboardUrl, "#/traces").ToString());
        await page.Locator($"tr[data-trace-id='{traceId}']").ClickAsync();

        await Assertions.Expect(page.Locator(".waterfall .span-row")).ToHaveCountAsync(3);
        await page.CloseAsync();
    }

    /// <summary>notes handles POST /notes, queries Postgres and calls calendar, as in the tutorial; two SDKs, two resources.</summary>
    private string SendTraceAcrossNotesAndCalendar()
    {
        using var notesSource = new ActivitySource($"notes-{Guid.NewGuid():N}");
        using var calendarSource = new ActivitySource($"calendar-{Guid.NewGuid():N}");
        using var notes = OtlpSenders.Tracing("notes", notesSource.Name, _server.OtlpGrpcUrl, OtlpExportProtocol.Grpc);
        using var calendar = OtlpSenders.Tracing("calendar", calendarSource.Name, _server.OtlpHttpUrl, OtlpExportProtocol.HttpProtobuf);
        string traceId;
        using (var root = notesSource.StartActivity("POST /notes", ActivityKind.Server)!)
        {
            root.SetTag("http.request.method", "POST");
            root.SetTag("http.route", "/notes");
            using (var db = notesSource.StartActivity("postgresql", ActivityKind.Client)!)
            {
                db.SetTag("db.system.name", "postgresql");
            }

            using (var server = calendarSource.StartActivity("GET /calendar", ActivityKind.Server)!)
            {
                server.SetTag("http.request.method", "GET");
                server.SetTag("http.route", "/calendar");
            }

            traceId = root.TraceId.ToHexString();
        }

        return traceId;
    }
}
