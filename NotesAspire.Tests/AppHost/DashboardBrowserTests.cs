using Microsoft.Playwright;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>The Aspire dashboard in a real browser, as a user of the tutorial opens it after a request.</summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardBrowserTests(AppHostFixture apphost, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task TheTraceOfAPostWithAddDateSpansNotesAndCalendar()
    {
        using var notes = apphost.CreateNotesClient();
        var (traceId, status) = await DashboardSpans.PostTracedAsync(notes, "/notes?desc=Browsed&add_date=y");
        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        using var api = apphost.CreateTelemetryApiClient();
        await DashboardSpans.WaitForTraceAsync(api, traceId, spans =>
            spans.Any(span => span.Service == "calendar") && spans.Any(span => span.Name == "POST /notes") && spans.Any(span => span.Name == "AddDate"));

        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync(new Uri(apphost.DashboardUrl, $"/login?t={AppHostFixture.BrowserToken}").ToString());
        await page.GotoAsync(new Uri(apphost.DashboardUrl, $"/traces/detail/{traceId}").ToString());

        var waterfall = page.Locator("main").First;
        await Assertions.Expect(waterfall).ToContainTextAsync("POST /notes", new() { Timeout = 30_000 });
        await Assertions.Expect(waterfall).ToContainTextAsync("GET /calendar");
        await Assertions.Expect(waterfall).ToContainTextAsync("calendar");
        await Assertions.Expect(waterfall).ToContainTextAsync("AddDate");
        if (Environment.GetEnvironmentVariable("NOTESASPIRE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "trace.png"), FullPage = true });
        }
    }
}
