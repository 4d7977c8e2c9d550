using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;
using NotesAspire.AppHost.Postgres;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the tests: the one named by NOTESASPIRE_TEST_POSTGRES (a connection string), or else a
/// throwaway server started from the machine's binaries in a temporary folder on a free port, removed afterwards.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string ExternalServerVariable = "NOTESASPIRE_TEST_POSTGRES";

    /// <summary>Off for the tests (no fsync): a throwaway server's data need not survive a crash.</summary>
    public bool Durable { get; init; }

    private LocalPostgresServer? _server;
    private TemporaryFolder? _dataRoot;
    private string _adminConnectionString = "";

    /// <summary>Makes a new empty database, so each test class owns its data.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"notes_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            _adminConnectionString = external;
            return;
        }

        _dataRoot = TemporaryFolder.Create("pg");
        _server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions(
            Path.Combine(_dataRoot.Path, "data"), FreeTcpPort(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), Durable));
        _adminConnectionString = _server.GetConnectionString();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _dataRoot?.Dispose();
    }

    public static int FreeTcpPort() => FreeTcpPorts(1)[0];

    /// <summary>Ports free now and distinct from each other: each is held until all are chosen, so none comes twice.</summary>
    public static int[] FreeTcpPorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }
}
