using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

[Collection(PostgresCollection.Name)]
public sealed class CalendarUnavailableTests(PostgresFixture postgres) : NotesAppTests(postgres)
{
    [Fact]
    public async Task AddDateWithoutACalendarAnswersServiceUnavailableAndWritesNothing()
    {
        await App.Calendar.DisposeAsync();

        using var response = await Notes.PostAsync("/notes?desc=Orphan&add_date=y", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.StartsWith("The calendar service is unavailable", problem!.Detail);
        Assert.Contains("No note was created", problem.Detail);
        Assert.Equal(0L, await CountNotesAsync("Orphan%"));
    }

    [Fact]
    public async Task AddDateWithAHungCalendarGivesUpAfterItsTimeoutAndWritesNothing()
    {
        // Stopped, not gone: the kernel still accepts the connection, and the request waits for an answer that never comes.
        Assert.True(Signals.Send(App.Calendar.ProcessId, Signals.SIGSTOP));
        try
        {
            using var response = await Notes.PostAsync("/notes?desc=Late&add_date=y", null);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
            Assert.EndsWith("'00:00:05'. No note was created; try again, or create it without add_date.", problem!.Detail);
            Assert.Equal(0L, await CountNotesAsync("Late%"));
        }
        finally
        {
            Signals.Send(App.Calendar.ProcessId, Signals.SIGCONT);
        }
    }

    [Fact]
    public async Task NotesWithoutADateAreStillCreated()
    {
        await App.Calendar.DisposeAsync();

        using var response = await Notes.PostAsync("/notes?desc=Undated", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
