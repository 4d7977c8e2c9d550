using System.Runtime.CompilerServices;
using Npgsql;

namespace NotesAspire.Notes.Data;

/// <summary>The notes table. Each call takes a pooled connection of its own, so concurrent requests never share one.</summary>
public sealed class NoteStore(NpgsqlDataSource dataSource)
{
    public Task<Note> CreateAsync(string description, CancellationToken cancellationToken) => ChangeAsync("""
        INSERT INTO notes (description) VALUES ($1) RETURNING id
        """, async command =>
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = description });
        return new Note((int)(await command.ExecuteScalarAsync(cancellationToken))!, description);
    }, cancellationToken);

    public Task<Note?> FindAsync(int id, CancellationToken cancellationToken) => AfterRestartRetriedAsync(async () =>
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, description FROM notes WHERE id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Note(reader.GetInt32(0), reader.GetString(1)) : null;
    });

    /// <returns>The updated note, or null when no note has that id.</returns>
    public Task<Note?> UpdateAsync(int id, string description, CancellationToken cancellationToken) => ChangeAsync("""
        UPDATE notes SET description = $2 WHERE id = $1
        """, async command =>
    {
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = description });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? new Note(id, description) : null;
    }, cancellationToken);

    /// <returns>Whether a note had that id.</returns>
    public Task<bool> DeleteAsync(int id, CancellationToken cancellationToken) => ChangeAsync("""
        DELETE FROM notes WHERE id = $1
        """, async command =>
    {
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }, cancellationToken);

    /// <summary>Notes a page of <see cref="ListAsync"/> reads: about 30 KB of JSON for the tutorial's notes.</summary>
    private const int ListPageSize = 1000;

    /// <summary>
    /// Every note by ascending id, read a page at a time as the caller consumes them: memory stays flat however many
    /// notes there are, and a caller that stops consuming (a client that stops reading) holds no connection, which a
    /// few dozen such clients would otherwise take from everyone. Each page is a query of its own: a note added or
    /// deleted while a long list is read may or may not be in it, none is listed twice.
    /// </summary>
    public async IAsyncEnumerable<Note> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var from = int.MinValue; ;)
        {
            var page = await AfterRestartRetriedAsync(() => PageAsync(from, cancellationToken));
            foreach (var note in page)
            {
                yield return note;
            }

            if (page.Count < ListPageSize || page[^1].Id == int.MaxValue)
            {
                yield break;
            }

            from = page[^1].Id + 1;
        }
    }

    private async Task<List<Note>> PageAsync(int from, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, description FROM notes WHERE id >= $1 ORDER BY id LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ListPageSize });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<Note>(ListPageSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new Note(reader.GetInt32(0), reader.GetString(1)));
        }

        return page;
    }

    /// <summary>
    /// A statement that changes notes, on a connection taken first: failing to get one (no server, no free connection)
    /// changes nothing. But a connection that breaks, or a server that stops answering, once the statement is sent
    /// leaves the service not knowing whether PostgreSQL carried it out: <see cref="ChangeUnconfirmedException"/>, so
    /// that nobody is told to just try again a POST that may have created its note. (An error PostgreSQL answers with
    /// is known: the statement, a transaction of its own, was not carried out.)
    /// </summary>
    private Task<T> ChangeAsync<T>(string sql, Func<NpgsqlCommand, Task<T>> run, CancellationToken cancellationToken) => AfterRestartRetriedAsync(async () =>
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            return await run(command);
        }
        catch (NpgsqlException exception) when (exception is not PostgresException && exception.IsTransient)
        {
            throw new ChangeUnconfirmedException(exception);
        }
    });

    /// <summary>
    /// Runs a statement, and once more when its pooled connection belonged to a server that has restarted since: a
    /// PostgreSQL that shuts down closes its idle connections with 57P01, which Npgsql reads on their next use, and then
    /// empties the pool. Without this, the first request after a restart (the dashboard's Restart, a crash) would get a
    /// 503 from a server that is up. Running it again writes nothing twice: each statement here is one statement in a
    /// transaction of its own, which either never reached the old server or, ended by 57P01 while it ran (a shutdown,
    /// pg_terminate_backend), was rolled back. Not for a transaction of several statements.
    /// </summary>
    private static async Task<T> AfterRestartRetriedAsync<T>(Func<Task<T>> statement)
    {
        try
        {
            return await statement();
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.AdminShutdown)
        {
            return await statement();
        }
    }
}
