using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>
/// An instance of the application of its own: a temporary state folder and free ports, so tests run beside each other
/// and beside a user's own instance. Each start runs a real AppHost process on them; the folder goes at the end.
/// </summary>
public sealed class IsolatedAppHost : IDisposable
{
    private readonly TemporaryFolder _state = TemporaryFolder.Create("apphost");

    public string StateDirectory => _state.Path;

    private readonly int[] _ports = PostgresFixture.FreeTcpPorts(6);

    public int NotesPort => _ports[0];

    public int CalendarPort => _ports[1];

    public int PostgresPort => _ports[2];

    public int DashboardPort => _ports[3];

    public int OtlpGrpcPort => _ports[4];

    public int OtlpHttpPort => _ports[5];

    public Uri NotesUrl => new($"http://localhost:{NotesPort}");

    public Uri DashboardUrl => new($"http://localhost:{DashboardPort}");

    public Uri CalendarUrl => new($"http://localhost:{CalendarPort}");

    public string[] Arguments =>
    [
        "--state-dir", StateDirectory,
        // The tests look at PostgreSQL's process: on a machine with Docker it would otherwise be a container.
        "--local-postgres",
        "--notes-port", NotesPort.ToString(),
        "--calendar-port", CalendarPort.ToString(),
        "--postgres-port", PostgresPort.ToString(),
        "--dashboard-port", DashboardPort.ToString(),
        "--otlp-grpc-port", OtlpGrpcPort.ToString(),
        "--otlp-http-port", OtlpHttpPort.ToString(),
    ];

    public Task<AppHostProcess> StartAsync() => StartAsync(new Dictionary<string, string>());

    /// <param name="environment">Added to the AppHost's own (e.g. DD_API_KEY).</param>
    /// <param name="arguments">After the instance's own.</param>
    public async Task<AppHostProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var appHost = AppHostProcess.Start(environment, [.. Arguments, .. arguments]);
        try
        {
            await appHost.WaitUntilReadyAsync();
            return appHost;
        }
        catch
        {
            await appHost.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _state.Dispose();
}
