using Npgsql;

namespace NotesAspire.AppHost.Postgres;

/// <summary>Where a running PostgreSQL server answers and who to log in as.</summary>
public sealed record PostgresEndpoint(string Host, int Port, string UserName, string Password)
{
    /// <summary>The rest of a user's own connection string (SSL Mode, Timeout…), kept in every one made from this endpoint.</summary>
    public string? OtherSettings { get; init; }

    /// <summary><c>Host=…;Port=…;Username=…;Password=…;Database=…</c>, the shape a .NET Aspire AppHost gives its services.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(OtherSettings ?? "")
        {
            Host = Host,
            Port = Port,
            Username = UserName,
            Password = Password,
            Database = database,
        }.ConnectionString;

    /// <summary>
    /// Polls until the server accepts a login: a starting server refuses connections for a while. A wrong password is
    /// final, and so is <paramref name="hasFailed"/> saying the server is gone.
    /// </summary>
    /// <param name="wrongPassword">What to tell the user when the server was made with another password.</param>
    /// <param name="hasFailed">Why the server will never answer (it exited), or null while it may still.</param>
    public async Task WaitUntilAcceptingAsync(
        TimeSpan within, string wrongPassword, Func<string?> hasFailed, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false, Timeout = 5 }.ConnectionString;
        while (true)
        {
            if (hasFailed() is { } failure)
            {
                throw new InvalidOperationException(failure);
            }

            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(timeout.Token);
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                throw new InvalidOperationException(wrongPassword, exception);
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or OperationCanceledException
                && !cancellationToken.IsCancellationRequested)
            {
                // Not up yet: try again below, unless the time is up.
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"PostgreSQL did not accept connections on port {Port} within {within.TotalSeconds:0} s.");
            }

            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }
}
