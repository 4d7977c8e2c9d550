using Npgsql;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests;

[Collection(PostgresCollection.Name)]
public sealed class LocalPostgresServerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task FreshDatabaseAnswersQueries()
    {
        await using var connection = new NpgsqlConnection(await postgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 40 + 2", connection);
        Assert.Equal(42, await command.ExecuteScalarAsync());
    }
}
