using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Npgsql;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the service-level tests: the one named by NOTESASPIRE_TEST_POSTGRES (a connection string),
/// or else the AppHost's own server from the machine's binaries, alone (the services are taken out of the model), with
/// its cluster in a temporary folder, removed afterwards.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string ExternalServerVariable = "NOTESASPIRE_TEST_POSTGRES";

    private DistributedApplication? _app;
    private bool _stopped;

    /// <summary>
    /// Keep fsync, synchronous commit and full-page writes on, as the AppHost's local server and any real one do (for the
    /// benchmarks). The tests leave it off: a throwaway server need not survive a crash, and without fsync writes are
    /// several times faster.
    /// </summary>
    public bool Durable { get; init; }
    private TemporaryFolder? _state;
    private string _adminConnectionString = "";
    private readonly List<string> _databases = [];

    /// <summary>Makes a new empty database, so each test owns its data.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"notes_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the server (as the dashboard's Stop does), for tests of a database that is not up yet.</summary>
    public async Task StopAsync()
    {
        var app = OwnApp();
        // First: whatever happens next, the next StartAsync must start it.
        _stopped = true;
        await app.StopResourceAsync("postgres");
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>; nothing when it runs (a start would restart it).</summary>
    public async Task StartAsync()
    {
        if (!_stopped)
        {
            return;
        }

        var app = OwnApp();
        var result = await app.ResourceCommands.ExecuteCommandAsync("postgres", KnownResourceCommands.StartCommand);
        Assert.True(result.Success, result.Message);
        await app.WaitUntilHealthyAsync("postgres");
        _stopped = false;
        // Our pooled connections died with the old server.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>The server of <see cref="ExternalServerVariable"/>, when the tests are given one; else null, and they start their own.</summary>
    public static string? ExternalServer =>
        Environment.GetEnvironmentVariable(ExternalServerVariable) is { } external && !string.IsNullOrWhiteSpace(external) ? external : null;

    public async Task InitializeAsync()
    {
        if (ExternalServer is { } external)
        {
            _adminConnectionString = external;
            return;
        }

        _state = TemporaryFolder.Create("pg");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
            ["NotesAspire:Postgres=local", $"NOTESASPIRE_STATE_DIR={_state.Path}"]);
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.Resources.Remove(project);
        }

        if (!Durable)
        {
            // A throwaway server need not survive a crash: without fsync, the tests' writes are several times faster.
            builder.CreateResourceBuilder(builder.Resources.OfType<LocalPostgresServerResource>().Single())
                .WithArgs("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
        }

        _app = await builder.BuildAsync();
        await _app.StartAsync();
        await _app.WaitUntilHealthyAsync("postgres");
        _adminConnectionString = await _app.GetConnectionStringAsync("postgres")
            ?? throw new InvalidOperationException("The postgres resource has no connection string.");
    }

    public async Task DisposeAsync()
    {
        try
        {
            // Our own server goes with its folder; a server we were given keeps nothing of the tests.
            if (_app is null && _adminConnectionString.Length > 0)
            {
                await DropDatabasesAsync();
            }

            await _app.StopAndDisposeAsync();
        }
        finally
        {
            _state?.Dispose();
        }
    }

    /// <summary>Every database the tests made, once nothing uses them (the services are stopped, our pools emptied).</summary>
    private async Task DropDatabasesAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        var left = new List<string>();
        foreach (var name in _databases)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", connection);
                await drop.ExecuteNonQueryAsync();
            }
            catch (PostgresException exception)
            {
                left.Add($"{name} ({exception.MessageText})");
            }
        }

        Assert.True(left.Count == 0, $"Test databases left on the server: {string.Join(", ", left)}");
    }

    private DistributedApplication OwnApp() =>
        _app ?? throw new InvalidOperationException($"The server of {ExternalServerVariable} is not ours to stop or start.");
}
