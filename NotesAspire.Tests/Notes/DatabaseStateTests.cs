using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

/// <summary>A database in a state the service did not leave it in: a 5xx that says which, never a bare 500.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseStateTests(PostgresFixture postgres) : NotesAppTests(postgres)
{
    [Fact]
    public async Task AMissingTableAnswersServiceUnavailableSayingSo()
    {
        await ExecuteSqlAsync("DROP TABLE notes");

        using var response = await Notes.GetAsync("/notes/1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("The notes table is missing.", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
    }

    [Fact]
    public async Task IdsUsedUpAnswerInsufficientStorageAndWriteNothing()
    {
        await ExecuteSqlAsync("SELECT setval('notes_id_seq', 2147483647)");

        using var response = await Notes.PostAsync("/notes?desc=OneTooMany", null);

        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        Assert.Equal("No note ids are left.", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
        Assert.Equal(0L, await CountNotesAsync());
    }

    [Fact]
    public async Task AnIdSequenceBehindTheRowsAnswersServiceUnavailableSayingHowToMendItAndWritesNothing()
    {
        // As after notes inserted with ids of their own, or a dump restored without its sequence.
        await ExecuteSqlAsync("INSERT INTO notes (id, description) VALUES (1, 'Restored'), (2, 'Restored')");

        using var response = await Notes.PostAsync("/notes?desc=Collides", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal("The notes table's id sequence is behind its rows.", problem.Title);
        Assert.EndsWith("SELECT setval(pg_get_serial_sequence('notes', 'id'), (SELECT max(id) FROM notes));", problem.Detail);
        Assert.Equal(0L, await CountNotesAsync("Collides"));
        await ExecuteSqlAsync("SELECT setval(pg_get_serial_sequence('notes', 'id'), (SELECT max(id) FROM notes))");
        Assert.Equal(3, await CreateNoteAsync("Mended"));
    }

    [Fact]
    public async Task AnErrorTheServiceDoesNotKnowAnswersServiceUnavailableWithItsCodeAndWritesNothing()
    {
        // A rule someone added to the table, which the service knows nothing of.
        await ExecuteSqlAsync("ALTER TABLE notes ADD CONSTRAINT no_drafts CHECK (description NOT LIKE 'Draft%')");

        using var response = await Notes.PostAsync("/notes?desc=Draft", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal("The notes database refused the request.", problem.Title);
        Assert.Equal("PostgreSQL answered with error 23514, so nothing was changed; the notes service's log has its message.", problem.Detail);
        Assert.Equal(0L, await CountNotesAsync());
    }

    [Fact]
    public async Task AUniqueRuleSomeoneAddedIsRefusedWithItsCodeNotTakenForTheIdSequence()
    {
        await ExecuteSqlAsync("ALTER TABLE notes ADD CONSTRAINT one_each UNIQUE (description)");
        using var first = await Notes.PostAsync("/notes?desc=Once", null);
        using var other = await Notes.PostAsync("/notes?desc=Other", null);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);

        using var created = await Notes.PostAsync("/notes?desc=Once", null);
        using var updated = await Notes.PutAsync($"{other.Headers.Location}?desc=Once", null);

        foreach (var response in new[] { created, updated })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
            Assert.Equal("The notes database refused the request.", problem.Title);
            Assert.Equal("PostgreSQL answered with error 23505, so nothing was changed; the notes service's log has its message.", problem.Detail);
        }

        Assert.Equal(2L, await CountNotesAsync());
    }
}
