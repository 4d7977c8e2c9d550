using Npgsql;
using Polly;
using Polly.Retry;

namespace NotesAspire.Notes.Data;

/// <summary>
/// Creates the notes table before the service takes traffic (hosted services start before Kestrel listens).
/// The database may still be starting (Compose, Kubernetes): transient failures are retried until it answers;
/// anything else (a wrong password, a missing database) stops the service with its real error.
/// </summary>
public sealed class NotesSchema(NpgsqlDataSource dataSource, ILogger<NotesSchema> logger) : IHostedService
{
    /// <summary>The description's limit, in characters; the same as the tutorial's table.</summary>
    public const int MaxDescriptionLength = 255;

    /// <summary>The name PostgreSQL gives the primary key of the table below, and of the tutorial's, which is the same.</summary>
    public const string PrimaryKey = "notes_pkey";

    // Two instances starting at once would race on CREATE TABLE IF NOT EXISTS; the advisory lock makes them take turns.
    private static readonly string CreateSql = $"""
        SELECT pg_advisory_xact_lock(hashtext('notesaspire.notes.schema'));
        CREATE TABLE IF NOT EXISTS notes (
            id serial PRIMARY KEY,
            description varchar({MaxDescriptionLength}) NOT NULL
        );
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(exception => exception.IsTransient),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(5),
                OnRetry = args =>
                {
                    logger.LogWarning("The database is not reachable yet ({Message}); trying again in {Delay}.",
                        args.Outcome.Exception?.Message, args.RetryDelay);
                    return default;
                },
            })
            .Build();

        await retry.ExecuteAsync(async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            await using var command = new NpgsqlCommand(CreateSql, connection, transaction);
            await command.ExecuteNonQueryAsync(token);
            await transaction.CommitAsync(token);
        }, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
