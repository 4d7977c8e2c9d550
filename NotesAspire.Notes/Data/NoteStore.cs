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

    public Task<Note?> FindAsync(int id, CancellationToken cancellationToken) => ReadAsync("""
        SELECT id, description FROM notes WHERE id = $1
        """, async command =>
    {
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Note(reader.GetInt32(0), reader.GetString(1)) : null;
    }, cancellationToken);

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
            var page = await PageAsync(from, cancellationToken);
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

    private Task<List<Note>> PageAsync(int from, CancellationToken cancellationToken) => ReadAsync("""
        SELECT id, description FROM notes WHERE id >= $1 ORDER BY id LIMIT $2
        """, async command =>
    {
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ListPageSize });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<Note>(ListPageSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new Note(reader.GetInt32(0), reader.GetString(1)));
        }

        return page;
    }, cancellationToken);

    /// <summary>
    /// A query, run once more on a new connection when the pooled one turns out dead: closed by a server that has
    /// restarted since, with 57P01 (a shutdown) or without a word (a crash, a kill, an immediate stop). Npgsql then
    /// empties the pool, so without this the first request after a restart would get a 503 from a server that is up. A
    /// query changes nothing, so running it again is safe. A server that stops answering (a timeout) is not tried
    /// again: that would only double the wait.
    /// </summary>
    private Task<T> ReadAsync<T>(string sql, Func<NpgsqlCommand, Task<T>> read, CancellationToken cancellationToken) =>
        RunAsync(sql, read, exception => IsRestartShutdown(exception) || IsDropped(exception), cancellationToken);

    /// <summary>
    /// A statement that changes notes. A pooled connection the server closed with 57P01 as it shut down (the dashboard's
    /// Restart) never carried the statement, or had it rolled back with it (pg_terminate_backend while it ran): it runs
    /// once more on a new connection, which writes nothing twice, as each statement here is a transaction of its own.
    /// But a connection that breaks without a word (a crash, a kill), or a server that stops answering, once the
    /// statement is sent leaves the service not knowing whether PostgreSQL carried it out:
    /// <see cref="ChangeUnconfirmedException"/>, so that nobody is told to just try again a POST that may have created
    /// its note. (Any other error PostgreSQL answers with is known: the statement was not carried out.)
    /// </summary>
    private Task<T> ChangeAsync<T>(string sql, Func<NpgsqlCommand, Task<T>> run, CancellationToken cancellationToken) =>
        RunAsync(sql, async command =>
        {
            try
            {
                return await run(command);
            }
            catch (NpgsqlException exception) when (exception is not PostgresException && exception.IsTransient)
            {
                throw new ChangeUnconfirmedException(exception);
            }
        }, IsRestartShutdown, cancellationToken);

    /// <summary>
    /// A statement on a connection taken first, so that failing to get one (no server, no free connection) is never
    /// tried again here, and once more on a new connection when it fails as <paramref name="runsAgain"/> says.
    /// </summary>
    private async Task<T> RunAsync<T>(string sql, Func<NpgsqlCommand, Task<T>> run, Func<NpgsqlException, bool> runsAgain, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            try
            {
                return await run(command);
            }
            catch (NpgsqlException exception) when (attempt == 1 && runsAgain(exception))
            {
                // Again, on a connection the emptied pool opens anew.
            }
        }
    }

    private static bool IsRestartShutdown(NpgsqlException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown };

    /// <summary>The connection broke (not an error PostgreSQL answered with), and not for want of an answer in time.</summary>
    private static bool IsDropped(NpgsqlException exception) =>
        exception is not PostgresException && exception.IsTransient && exception.InnerException is not TimeoutException;
}
