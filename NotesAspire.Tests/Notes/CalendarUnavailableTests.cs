using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

[Collection(PostgresCollection.Name)]
public sealed class CalendarUnavailableTests(PostgresFixture postgres) : IAsyncLifetime
{
    private NotesApp _app = null!;
    private HttpClient _notes = null!;

    public async Task InitializeAsync()
    {
        _app = await NotesApp.StartAsync(postgres);
        _notes = _app.Notes.CreateClient();
        await _app.Calendar.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        _notes.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task AddDateWithoutACalendarAnswersServiceUnavailableAndWritesNothing()
    {
        using var response = await _notes.PostAsync("/notes?desc=Orphan&add_date=y", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.StartsWith("The calendar service is unavailable", problem!.Detail);
        Assert.Contains("No note was created", problem.Detail);
        Assert.Equal(0L, await CountNotesAsync("Orphan%"));
    }

    [Fact]
    public async Task NotesWithoutADateAreStillCreated()
    {
        using var response = await _notes.PostAsync("/notes?desc=Undated", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<long> CountNotesAsync(string pattern)
    {
        await using var dataSource = NpgsqlDataSource.Create(_app.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM notes WHERE description LIKE $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pattern });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
