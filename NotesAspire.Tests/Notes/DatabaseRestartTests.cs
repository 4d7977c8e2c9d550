using System.Net;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

/// <summary>A database that restarts: the connections in notes' pool died with the old server, and no request pays for it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseRestartTests(PostgresFixture postgres) : NotesAppTests(postgres)
{
    [OwnPostgresTheory]
    [InlineData("POST", "/notes?desc=After", HttpStatusCode.Created)]
    [InlineData("GET", "/notes", HttpStatusCode.OK)]
    [InlineData("GET", "/notes/1", HttpStatusCode.OK)]
    [InlineData("PUT", "/notes/2?desc=After", HttpStatusCode.OK)]
    [InlineData("DELETE", "/notes/3", HttpStatusCode.OK)]
    public async Task TheFirstRequestAfterTheDatabaseRestartsSucceeds(string method, string url, HttpStatusCode status)
    {
        await RestartWithConnectionsPooledAsync();

        using var response = await Notes.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(status, response.StatusCode);
    }

    [OwnPostgresFact]
    public async Task ANoteCreatedAcrossARestartIsWrittenOnce()
    {
        await RestartWithConnectionsPooledAsync();

        await CreateNoteAsync("Once");
        Assert.Equal(1L, await CountNotesAsync("Once"));
    }

    /// <summary>Notes 1 to 8 are written, by requests at once that leave as many connections in the pool; then the server restarts.</summary>
    private async Task RestartWithConnectionsPooledAsync()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CreateNoteAsync($"Before{i}")));
        try
        {
            await Postgres.StopAsync();
        }
        finally
        {
            await Postgres.StartAsync();
        }
    }
}
