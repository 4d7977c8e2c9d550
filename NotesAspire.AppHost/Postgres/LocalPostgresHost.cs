using NotesAspire.AppHost.Processes;

namespace NotesAspire.AppHost.Postgres;

/// <summary>A <see cref="LocalPostgresServer"/> whose data stays in the AppHost's state folder, so notes survive restarts.</summary>
public sealed class LocalPostgresHost(string binDirectory, PostgresState state, int port, IProcessLauncher launcher) : IPostgresHost
{
    private LocalPostgresServer? _server;

    public string Description => $"local server from {binDirectory}, data in {state.DataDirectory}";

    public int? LocalPort => port;

    public PostgresEndpoint Endpoint { get; } = new("localhost", port, LocalPostgresServer.UserName, state.Password);

    public int? ProcessId => _server?.ProcessId;

    public Task Exited => _server?.WaitForExitAsync() ?? throw new InvalidOperationException("The server has not started.");

    public async Task StartAsync(Action<string> output, CancellationToken cancellationToken) =>
        _server = await LocalPostgresServer.StartAsync(
            new LocalPostgresOptions(state.DataDirectory, port, state.Password) { Output = output, Launcher = launcher },
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
