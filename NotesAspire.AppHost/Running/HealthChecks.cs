using Npgsql;

namespace NotesAspire.AppHost.Running;

/// <summary>The checks WaitFor and the console rely on: a resource is healthy when it does its job, not merely when it runs.</summary>
public static class HealthChecks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private static readonly HttpClient Http = new() { Timeout = Timeout };

    /// <summary>The service's <c>/health</c> answers 200 (ServiceDefaults maps it, with a check per dependency).</summary>
    public static async Task<bool> HttpAsync(string baseUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync($"{baseUrl}/health", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>A connection to the database opens and answers <c>SELECT 1</c>.</summary>
    public static async Task<bool> PostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            // Unpooled: a pooled connection could answer from a server that has just gone.
            var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = (int)Timeout.TotalSeconds }.ConnectionString;
            await using var connection = new NpgsqlConnection(unpooled);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
