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

    public int NotesPort { get; } = PostgresFixture.FreeTcpPort();

    public int CalendarPort { get; } = PostgresFixture.FreeTcpPort();

    public int PostgresPort { get; } = PostgresFixture.FreeTcpPort();

    public Uri NotesUrl => new($"http://localhost:{NotesPort}");

    public Uri CalendarUrl => new($"http://localhost:{CalendarPort}");

    public string[] Arguments =>
    [
        "--state-dir", StateDirectory,
        "--notes-port", NotesPort.ToString(),
        "--calendar-port", CalendarPort.ToString(),
        "--postgres-port", PostgresPort.ToString(),
    ];

    public async Task<AppHostProcess> StartAsync()
    {
        var appHost = AppHostProcess.Start(Arguments);
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
