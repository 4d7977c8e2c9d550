using System.Net;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

/// <summary>The tutorial's curl commands, in its order, with the exact bodies its users see.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TutorialTests(PostgresFixture postgres) : NotesAppTests(postgres)
{
    [Fact]
    public async Task TheTutorialsCurlSequenceGivesTheTutorialsOutputs()
    {
        await Notes.ExpectAsync(HttpMethod.Get, "/", "Welcome to our notes app!");
        await Notes.ExpectAsync(HttpMethod.Get, "/notes", "{}\n");
        await Notes.ExpectAsync(HttpMethod.Post, "/notes?desc=Datascientest", "(1, Datascientest)", HttpStatusCode.Created);
        await Notes.ExpectAsync(HttpMethod.Get, "/notes", """
            {
              "1": "Datascientest"
            }

            """);
        await Notes.ExpectAsync(HttpMethod.Post, "/notes?desc=DevUniversity", "(2, DevUniversity)", HttpStatusCode.Created);
        await Notes.ExpectAsync(HttpMethod.Post, "/notes?desc=CyberUniversity", "(3, CyberUniversity)", HttpStatusCode.Created);
        await Notes.ExpectAsync(HttpMethod.Post, "/notes?desc=Datadog", "(4, Datadog)", HttpStatusCode.Created);
        await Notes.ExpectAsync(HttpMethod.Get, "/notes", """
            {
              "1": "Datascientest",
              "2": "DevUniversity",
              "3": "CyberUniversity",
              "4": "Datadog"
            }

            """);
        await Notes.ExpectAsync(HttpMethod.Put, "/notes?id=4&desc=Monitoring", "(4, Monitoring)");
        await Notes.ExpectAsync(HttpMethod.Get, "/notes?id=4", "(4, Monitoring)");
        await Notes.ExpectAsync(HttpMethod.Delete, "/notes?id=4", "Deleted");
        await Notes.ExpectAsync(HttpMethod.Get, "/notes", """
            {
              "1": "Datascientest",
              "2": "DevUniversity",
              "3": "CyberUniversity"
            }

            """);
    }

    [Fact]
    public async Task TheCalendarsCurlCommandsGiveTheTutorialsOutputs()
    {
        using var calendar = App.Calendar.CreateClient();
        Assert.Equal("Welcome to the calendar app!", await calendar.GetStringAsync("/"));
        Assert.Matches(@"^(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/2022$", await calendar.GetStringAsync("/calendar"));
    }
}
