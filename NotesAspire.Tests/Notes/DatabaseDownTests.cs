using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

/// <summary>A database that goes away is the service's trouble: 503 problem details, whole, and never a 500.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseDownTests(PostgresFixture postgres) : IAsyncLifetime
{
    private ServiceProcess _notes = null!;

    public async Task InitializeAsync()
    {
        _notes = await ServiceProcess.StartAsync("NotesAspire.Notes", new Dictionary<string, string>
        {
            ["ConnectionStrings__notesdb"] = await postgres.CreateDatabaseAsync(),
        });
        try
        {
            await postgres.StopAsync();
        }
        catch
        {
            await _notes.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _notes.DisposeAsync();
        }
        finally
        {
            // The server is the collection's: the next class needs it back whatever happened here.
            await postgres.StartAsync();
        }
    }

    [OwnPostgresFact]
    public async Task EveryRequestAnswersServiceUnavailableWithProblemDetails()
    {
        using var client = _notes.CreateClient();

        foreach (var (method, url) in new[] { ("GET", "/notes"), ("GET", "/notes/1"), ("POST", "/notes?desc=Lost"), ("PUT", "/notes/1?desc=Lost"), ("DELETE", "/notes/1") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            // Whatever the client accepts: problem details are the only answer that says what is wrong.
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await client.SendAsync(request);

            Assert.True(HttpStatusCode.ServiceUnavailable == response.StatusCode, $"{method} {url} answered {response.StatusCode}");
            var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
            Assert.Equal("The notes database is unavailable.", problem!.Title);
        }
    }
}
