using System.Net;
using System.Text.RegularExpressions;
using NotesAspire.AppHost.Processes;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

[Collection(AppHostCollection.Name)]
public sealed class RunningApplicationTests(AppHostFixture fixture) : IClassFixture<AppHostFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private IsolatedAppHost Instance => fixture.Instance;

    [Fact]
    public async Task ServicesAnswerOnTheirPorts()
    {
        Assert.Equal("Welcome to our notes app!", await Http.GetStringAsync(Instance.NotesUrl));
        Assert.Equal("Welcome to the calendar app!", await Http.GetStringAsync(Instance.CalendarUrl));
        Assert.Matches(@"^\d\d/\d\d/2022$", await Http.GetStringAsync(new Uri(Instance.CalendarUrl, "/calendar")));
    }

    [Fact]
    public async Task ServicesReportHealthy()
    {
        foreach (var service in new[] { Instance.NotesUrl, Instance.CalendarUrl })
        {
            using var response = await Http.GetAsync(new Uri(service, "/health"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public void NotesGetsTheEnvironmentAnAspireAppHostGives()
    {
        var environment = EnvironmentOf("notes");

        var password = File.ReadAllText(Path.Combine(Instance.StateDirectory, "postgres", "password")).Trim();
        Assert.Equal(
            $"Host=localhost;Port={Instance.PostgresPort};Username=postgres;Password={password};Database=notesdb",
            environment["ConnectionStrings__notesdb"]);
        Assert.Equal($"http://localhost:{Instance.CalendarPort}", environment["services__calendar__http__0"]);
        AssertServiceEnvironment(environment, "notes", Instance.NotesPort);
    }

    [Fact]
    public void CalendarGetsItsOwnNamesAndNothingItDoesNotReference()
    {
        var environment = EnvironmentOf("calendar");

        AssertServiceEnvironment(environment, "calendar", Instance.CalendarPort);
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("ConnectionStrings__notesdb", StringComparison.Ordinal));
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("services__", StringComparison.Ordinal));
    }

    [Fact]
    public void GeneratedPasswordIsStrongAndReadableOnlyByItsOwner()
    {
        var path = Path.Combine(Instance.StateDirectory, "postgres", "password");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Matches("^[0-9a-f]{32,}$", File.ReadAllText(path).Trim());
    }

    [Fact]
    public async Task KilledCalendarIsRestarted()
    {
        var killed = fixture.AppHost.CurrentProcessId("calendar")!.Value;

        Assert.True(LinuxProcesses.IsAlive(killed));
        Signals.Send(killed, Signals.SIGKILL);

        var restarted = await Eventually.IsTrue(() => fixture.AppHost.CurrentProcessId("calendar") is { } pid && pid != killed);
        Assert.True(restarted, fixture.AppHost.Output);
        Assert.Contains(fixture.AppHost.Lines, line => Regex.IsMatch(line, @"calendar\s+Restarting\s.*\(restart \d+\)"));
        Assert.True(await Eventually.IsTrue(async () => await WelcomeAsync(Instance.CalendarUrl) == "Welcome to the calendar app!"), fixture.AppHost.Output);
    }

    /// <summary>The tutorial's curl commands through the wired application: notes reaches its database and the calendar.</summary>
    [Fact]
    public async Task TutorialCurlSequenceWorks()
    {
        var notes = Instance.NotesUrl;

        Assert.Equal("Welcome to our notes app!", await Http.GetStringAsync(notes));
        var created = await SendAsync(HttpMethod.Post, new Uri(notes, "/notes?desc=hello"));
        var id = Regex.Match(created, @"^\((\d+), hello\)$").Groups[1].Value;
        Assert.NotEmpty(id);
        Assert.Equal($"({id}, hello)", await Http.GetStringAsync(new Uri(notes, $"/notes?id={id}")));
        Assert.Matches(@"^\(\d+, Datadog with date \d\d/\d\d/2022\)$", await SendAsync(HttpMethod.Post, new Uri(notes, "/notes?desc=Datadog&add_date=y")));
        Assert.Contains($"\"{id}\": \"hello\"", await Http.GetStringAsync(new Uri(notes, "/notes")));
        Assert.Equal($"({id}, Monitoring)", await SendAsync(HttpMethod.Put, new Uri(notes, $"/notes?id={id}&desc=Monitoring")));
        Assert.Equal("Deleted", await SendAsync(HttpMethod.Delete, new Uri(notes, $"/notes?id={id}")));
        Assert.Matches(@"^\d\d/\d\d/2022$", await Http.GetStringAsync(new Uri(Instance.CalendarUrl, "/calendar")));
    }

    private IReadOnlyDictionary<string, string> EnvironmentOf(string resource) =>
        LinuxProcesses.EnvironmentOf(fixture.AppHost.CurrentProcessId(resource) ?? throw new InvalidOperationException($"{resource} has no process."));

    private static void AssertServiceEnvironment(IReadOnlyDictionary<string, string> environment, string service, int port)
    {
        Assert.Equal(service, environment["OTEL_SERVICE_NAME"]);
        Assert.Matches("^service.instance.id=[0-9a-f-]{36}$", environment["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal($"http://localhost:{port}", environment["ASPNETCORE_URLS"]);
        Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal(service, environment["DD_SERVICE"]);
        Assert.Equal("dev", environment["DD_ENV"]);
        Assert.Equal("0.1.0", environment["DD_VERSION"]);
    }

    private static async Task<string?> WelcomeAsync(Uri service)
    {
        try
        {
            return await Http.GetStringAsync(service);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<string> SendAsync(HttpMethod method, Uri uri)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(method, uri));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
