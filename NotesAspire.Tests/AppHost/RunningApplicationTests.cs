using Aspire.Hosting.Testing;
using System.Net;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>The application as <c>dotnet run --project NotesAspire.AppHost</c> runs it, used as the tutorial's users use it.</summary>
[Collection(AppHostCollection.Name)]
public sealed class RunningApplicationTests(AppHostFixture apphost)
{
    [Fact]
    public async Task TheTutorialsCurlSequenceGivesTheTutorialsOutputsThroughTheAppHost()
    {
        await apphost.ResetNotesAsync();
        using var notes = apphost.CreateNotesClient();

        await notes.ExpectAsync(HttpMethod.Get, "/notes", "{}\n");
        await notes.ExpectAsync(HttpMethod.Post, "/notes?desc=Datascientest", "(1, Datascientest)", HttpStatusCode.Created);
        await notes.ExpectAsync(HttpMethod.Post, "/notes?desc=DevUniversity", "(2, DevUniversity)", HttpStatusCode.Created);
        await notes.ExpectAsync(HttpMethod.Get, "/notes", """
            {
              "1": "Datascientest",
              "2": "DevUniversity"
            }

            """);
        await notes.ExpectAsync(HttpMethod.Put, "/notes?id=2&desc=Monitoring", "(2, Monitoring)");
        using var dated = await notes.PostAsync("/notes?desc=Meeting&add_date=y", null);
        Assert.Matches(@"^\(3, Meeting with date \d\d/\d\d/2022\)$", await dated.Content.ReadAsStringAsync());
        await notes.ExpectAsync(HttpMethod.Delete, "/notes?id=2", "Deleted");

        using var calendar = apphost.App.CreateHttpClient("calendar");
        Assert.Matches(@"^\d\d/\d\d/2022$", await calendar.GetStringAsync("/calendar"));
    }

    [Fact]
    public void EachServiceGetsItsServiceTagsItsReferencesAndTheBridgeAsOtlpEndpoint()
    {
        var bridge = apphost.App.GetEndpoint("telemetry", "otlp-http");
        foreach (var service in new[] { "notes", "calendar" })
        {
            Assert.True(apphost.App.ResourceNotifications.TryGetCurrentState(service, out var state));
            var environment = state.Snapshot.EnvironmentVariables.ToDictionary(variable => variable.Name, variable => variable.Value ?? "");

            Assert.Equal(service, environment["DD_SERVICE"]);
            Assert.Equal("dev", environment["DD_ENV"]);
            Assert.Equal("0.1.0", environment["DD_VERSION"]);
            Assert.Equal(bridge, new Uri(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]));
            Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
            Assert.DoesNotContain("DD_API_KEY", environment.Keys);
            if (service == "notes")
            {
                Assert.Contains("Database=notesdb", environment["ConnectionStrings__notesdb"]);
                Assert.StartsWith("http://", environment["services__calendar__http__0"]);
            }
        }
    }

    [Fact]
    public void TheBridgeSendsToTheDashboardsOtlpHttpReceiverWithItsKey()
    {
        Assert.True(apphost.App.ResourceNotifications.TryGetCurrentState("telemetry", out var state));
        var environment = state.Snapshot.EnvironmentVariables.ToDictionary(variable => variable.Name, variable => variable.Value ?? "");

        Assert.Equal(apphost.App.GetEndpoint("aspire-dashboard", "otlp-http"), new Uri(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]));
        Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Contains("x-otlp-api-key=", environment["OTEL_EXPORTER_OTLP_HEADERS"]);
    }

    [Fact]
    public async Task TheDashboardAsksForItsTokenAndItsApiForItsKey()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = apphost.DashboardUrl };
        using var page = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/login", page.Headers.Location!.ToString());
        using var api = await anonymous.GetAsync("/api/telemetry/resources");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);

        using var withKey = apphost.CreateTelemetryApiClient();
        using var resources = await withKey.GetAsync("/api/telemetry/resources");
        Assert.Equal(HttpStatusCode.OK, resources.StatusCode);
    }
}
