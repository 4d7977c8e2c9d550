using System.Net;
using System.Net.Http.Headers;
using NotesAspire.Dashboard;

namespace NotesAspire.Tests.Dashboard;

public sealed class TokenTests
{
    [Fact]
    public async Task DashboardBoundBeyondLoopbackAsksForItsToken()
    {
        var options = TestDashboards.OnFreePorts() with { Host = "0.0.0.0", Token = "s3cret-token" };
        await using var server = await DashboardServer.StartAsync(options, new TestResourceCatalog());
        var port = server.DashboardUrl.Port;
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/resources")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/login?t=wrong")).StatusCode);
        Assert.Equal("/login?t=s3cret-token", server.DashboardUrl.PathAndQuery);
    }

    [Fact]
    public async Task TokenOpensTheDashboardAsBearerOrThroughTheLoginCookie()
    {
        var options = TestDashboards.OnFreePorts() with { Host = "0.0.0.0", Token = "s3cret-token" };
        await using var server = await DashboardServer.StartAsync(options, new TestResourceCatalog());
        var baseAddress = new Uri($"http://127.0.0.1:{server.DashboardUrl.Port}");
        using var bearer = new HttpClient { BaseAddress = baseAddress };
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };

        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/resources")).StatusCode);
        var login = await browser.GetAsync("/login?t=s3cret-token");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("text/html", login.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/traces")).StatusCode);
    }

    [Fact]
    public async Task OtlpStaysOpenWithoutTheToken()
    {
        var options = TestDashboards.OnFreePorts() with { Host = "0.0.0.0" };
        await using var server = await DashboardServer.StartAsync(options, new TestResourceCatalog());
        using var sender = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.OtlpHttpUrl.Port}") };
        using var empty = new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } };

        var response = await sender.PostAsync("/v1/traces", empty);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(server.Token);
        Assert.Contains($"t={server.Token}", server.DashboardUrl.Query);
    }

    [Fact]
    public async Task LoopbackDashboardAsksForNoToken()
    {
        await using var server = await DashboardServer.StartAsync(TestDashboards.OnFreePorts(), new TestResourceCatalog());
        using var anonymous = new HttpClient { BaseAddress = server.DashboardUrl };

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/resources")).StatusCode);
        Assert.Null(server.Token);
        Assert.Equal("/", server.DashboardUrl.PathAndQuery);
    }
}
