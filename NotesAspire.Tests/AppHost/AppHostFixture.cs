using System.Net.Http.Headers;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Npgsql;
using NotesAspire.Tests.Infrastructure;
using NotesAspire.Tests.TelemetryBridge;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// The real AppHost, started once for the collection through Aspire.Hosting.Testing (stopping one takes seconds): its
/// PostgreSQL from the machine's binaries in a temporary state folder, its dashboard on free ports with known keys, and
/// the services on free ports of ours (<c>Ports:notes</c>, <c>Ports:calendar</c>).
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public const string DashboardApiKey = "test-dashboard-api-key";
    public const string BrowserToken = "test-browser-token";

    /// <summary>Given as DD_API_KEY, to show that it reaches no service, log or telemetry.</summary>
    public const string DatadogApiKey = "dd-api-key-that-must-never-show-4f2a9c";

    private readonly TemporaryFolder _state = TemporaryFolder.Create("apphost");

    public DistributedApplication App { get; private set; } = null!;

    public Uri DashboardUrl { get; private set; } = null!;

    /// <summary>A real OTLP/HTTP receiver standing in for the Datadog Agent (Datadog:OtlpEndpoint).</summary>
    public StandInAgent Agent { get; private set; } = null!;

    public string StateDirectory => _state.Path;

    public async Task InitializeAsync()
    {
        Agent = await StandInAgent.StartAsync();
        var ports = FreePorts.Take(6);
        DashboardUrl = new Uri($"http://127.0.0.1:{ports[0]}");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
            [
                "NotesAspire:Postgres=local",
                $"NOTESASPIRE_STATE_DIR={_state.Path}",
                $"ASPNETCORE_URLS={DashboardUrl}",
                $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{ports[1]}",
                $"ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:{ports[2]}",
                $"ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{ports[3]}",
                $"AppHost:DashboardApiKey={DashboardApiKey}",
                // The services bind their ports themselves, which the testing package leaves as they are: free ones
                // instead, so that the tests run beside a running AppHost, and beside each other.
                $"Ports:notes={ports[4]}",
                $"Ports:calendar={ports[5]}",
                $"Datadog:OtlpEndpoint={Agent.Address}",
                $"DD_API_KEY={DatadogApiKey}",
                $"ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={BrowserToken}",
            ],
            (options, _) => options.DisableDashboard = false);

        App = await builder.BuildAsync();
        await App.StartAsync();
        // The testing package randomizes the dashboard's public port too.
        DashboardUrl = App.GetEndpoint("aspire-dashboard", "http");
        foreach (var resource in new[] { "aspire-dashboard", "telemetry", "postgres", "notesdb", "calendar", "notes" })
        {
            await App.WaitUntilHealthyAsync(resource);
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await App.StopAndDisposeAsync();
        }
        finally
        {
            if (Agent is not null)
            {
                await Agent.DisposeAsync();
            }

            _state.Dispose();
        }
    }

    public HttpClient CreateNotesClient() => App.CreateHttpClient("notes");

    /// <summary>The dashboard's telemetry API, as a script reads it: the <c>x-api-key</c> header.</summary>
    public HttpClient CreateTelemetryApiClient()
    {
        var client = new HttpClient { BaseAddress = DashboardUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("x-api-key", DashboardApiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Empties the notes table and restarts its ids, for tests that expect the tutorial's ids from 1.</summary>
    public async Task ResetNotesAsync()
    {
        await using var connection = new NpgsqlConnection(await App.GetConnectionStringAsync("notesdb"));
        await connection.OpenAsync();
        await using var truncate = new NpgsqlCommand("TRUNCATE notes RESTART IDENTITY", connection);
        await truncate.ExecuteNonQueryAsync();
    }

    /// <summary>The process of a resource as DCP reports it (for a project, its <c>dotnet run</c>).</summary>
    public int ProcessIdOf(string resource)
    {
        Assert.True(App.ResourceNotifications.TryGetCurrentState(resource, out var current), $"No state for {resource}.");
        var pid = current.Snapshot.Properties.Single(property => property.Name == "executable.pid").Value;
        return Convert.ToInt32(pid);
    }

    public Task WaitUntilHealthyAsync(string resource) => App.WaitUntilHealthyAsync(resource);
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "apphost";
}
