using Npgsql;

namespace NotesAspire.AppHost.Postgres;

/// <summary>A server the user already runs, named by a connection string; the AppHost only connects to it.</summary>
public sealed class ExistingPostgresHost(string connectionString, string source) : IPostgresHost
{
    private readonly NpgsqlConnectionStringBuilder _given = new(connectionString);

    public string Description => $"existing server {_given.Host}:{_given.Port} (from {source})";

    public int? LocalPort => null;

    public PostgresEndpoint Endpoint => new(_given.Host ?? "localhost", _given.Port, _given.Username ?? LocalPostgresServer.UserName, _given.Password ?? "")
    {
        OtherSettings = connectionString,
    };

    public int? ProcessId => null;

    public Task Exited { get; } = new TaskCompletionSource().Task;

    public async Task StartAsync(Action<string> output, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Endpoint.ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        output($"Connected to PostgreSQL {connection.PostgreSqlVersion} at {_given.Host}:{_given.Port}.");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
