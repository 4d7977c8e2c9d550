using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

[Collection(PostgresCollection.Name)]
public sealed class CalendarUnavailableTests(PostgresFixture postgres) : NotesAppTests(postgres)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await App.Calendar.DisposeAsync();
    }

    [Fact]
    public async Task AddDateWithoutACalendarAnswersServiceUnavailableAndWritesNothing()
    {
        using var response = await Notes.PostAsync("/notes?desc=Orphan&add_date=y", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.StartsWith("The calendar service is unavailable", problem!.Detail);
        Assert.Contains("No note was created", problem.Detail);
        Assert.Equal(0L, await CountNotesAsync("Orphan%"));
    }

    [Fact]
    public async Task NotesWithoutADateAreStillCreated()
    {
        using var response = await Notes.PostAsync("/notes?desc=Undated", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
