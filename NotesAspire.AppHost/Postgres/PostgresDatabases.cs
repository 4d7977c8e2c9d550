using Npgsql;

namespace NotesAspire.AppHost.Postgres;

public static class PostgresDatabases
{
    /// <summary>Creates the database unless it exists, connected as a user allowed to create databases.</summary>
    public static async Task EnsureCreatedAsync(string adminConnectionString, string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // CREATE DATABASE takes no parameters; the identifier is quoted instead.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
