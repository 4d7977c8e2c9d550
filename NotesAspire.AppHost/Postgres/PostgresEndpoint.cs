using Npgsql;

namespace NotesAspire.AppHost.Postgres;

/// <summary>Where a running PostgreSQL server answers and who to log in as.</summary>
public sealed record PostgresEndpoint(string Host, int Port, string UserName, string Password)
{
    /// <summary><c>Host=…;Port=…;Username=…;Password=…;Database=…</c>, the shape a .NET Aspire AppHost gives its services.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = UserName,
            Password = Password,
            Database = database,
        }.ConnectionString;
}
