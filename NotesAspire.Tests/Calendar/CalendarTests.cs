using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Calendar;

public sealed class CalendarTests : IAsyncLifetime
{
    private ServiceProcess _calendar = null!;

    public async Task InitializeAsync() =>
        _calendar = await ServiceProcess.StartAsync("NotesAspire.Calendar", new Dictionary<string, string>());

    public async Task DisposeAsync()
    {
        // Also after a start that failed, which xunit disposes too.
        if (_calendar is not null)
        {
            await _calendar.DisposeAsync();
        }
    }

    [Fact]
    public async Task CalendarOnlyGivesDaysOf2022()
    {
        using var client = _calendar.CreateClient();

        var dates = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => client.GetStringAsync("/calendar")));

        Assert.All(dates, date =>
            Assert.Equal(2022, DateOnly.ParseExact(date, "MM/dd/yyyy", CultureInfo.InvariantCulture).Year));
        Assert.True(dates.Distinct().Count() > 100, "A random date should vary.");
    }

    [Fact]
    public async Task CalendarAnswersPlainText()
    {
        using var client = _calendar.CreateClient();

        using var response = await client.GetAsync("/calendar");

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HeadOfTheCalendarAnswersAsGetWithoutTheBody()
    {
        using var client = _calendar.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/calendar"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("POST", "/calendar", HttpStatusCode.MethodNotAllowed, "/calendar does not take POST; it takes GET, HEAD.")]
    [InlineData("GET", "/calendar/2022", HttpStatusCode.NotFound, "Nothing answers GET /calendar/2022.")]
    // The path as sent, escapes kept: a decoded one could read as another path (%2F), or hold a line break.
    [InlineData("GET", "/caf%C3%A9%20au%0Alait", HttpStatusCode.NotFound, "Nothing answers GET /caf%C3%A9%20au%0Alait.")]
    [InlineData("POST", "/health", HttpStatusCode.MethodNotAllowed, "/health does not take POST; it takes GET, HEAD.")]
    [InlineData("DELETE", "/alive", HttpStatusCode.MethodNotAllowed, "/alive does not take DELETE; it takes GET, HEAD.")]
    public async Task ErrorsAreProblemDetailsThatSayWhatWasWrong(string method, string url, HttpStatusCode status, string detail)
    {
        using var client = _calendar.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(detail, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task OptionsOfTheWholeServerIsExplainedNamingItsTarget()
    {
        // HttpClient cannot send the asterisk form, whose path is empty.
        var answer = await RawHttp.SendAsync(
            _calendar.BaseAddress.Port, "OPTIONS * HTTP/1.1\r\nHost: calendar\r\nConnection: close\r\n\r\n", reader => reader.ReadToEndAsync());

        Assert.StartsWith("HTTP/1.1 405 ", answer);
        Assert.Contains("\"detail\":\"* does not take OPTIONS; it takes GET, HEAD.\"", answer);
    }
}
