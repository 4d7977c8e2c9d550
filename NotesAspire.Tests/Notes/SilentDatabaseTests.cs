using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

/// <summary>A database that takes a statement and never answers: the service cannot know what it did, and says so.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SilentDatabaseTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AChangeTheDatabaseNeverAnsweredIsNotSaidToBeSafeToTryAgain()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var direct = new NpgsqlConnectionStringBuilder(connectionString);
        await using var port = new LateServerPort();
        port.ForwardTo(direct.Host!, direct.Port);
        // Through the port, with the service's own timeouts: it gives up on a silent database within seconds (the statement's
        // 5 s, then up to as long again to have PostgreSQL cancel it), inside the client's 30 s; Npgsql's defaults took about
        // a minute.
        var throughPort = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = port.Port };
        await using var notes = await ServiceProcess.StartAsync("NotesAspire.Notes", new Dictionary<string, string>
        {
            ["ConnectionStrings__notesdb"] = throughPort.ConnectionString,
        });
        using var client = notes.CreateClient();
        (await client.PostAsync("/notes?desc=Answered", null)).EnsureSuccessStatusCode();

        port.DropAnswers();
        using var response = await client.PostAsync("/notes?desc=Unanswered", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal("The notes database did not confirm the change.", problem.Title);
        Assert.Contains("may or may not have been made: look (GET /notes) before trying again", problem.Detail);
        // Why: PostgreSQL did take it.
        await using var database = NpgsqlDataSource.Create(connectionString);
        await using var count = database.CreateCommand("SELECT count(*) FROM notes WHERE description = 'Unanswered'");
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }
}
