using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

/// <summary>
/// The connections in notes' pool closed without a word, as after a crash or a kill of the database server: a read runs
/// again on a new connection, and a change is reported unconfirmed, since the service cannot know whether it was made.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DroppedConnectionTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly LateServerPort _port = new();
    private ServiceProcess _notes = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var direct = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync());
        _port.ForwardTo(direct.Host!, direct.Port);
        _notes = await ServiceProcess.StartAsync("NotesAspire.Notes", new Dictionary<string, string>
        {
            ["ConnectionStrings__notesdb"] = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = _port.Port }.ConnectionString,
        });
        _client = _notes.CreateClient();
        // Notes 1 to 8, by requests at once that leave as many connections in the pool.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            (await _client.PostAsync($"/notes?desc=Before{i}", null)).EnsureSuccessStatusCode()));
        _port.CutConnections();
    }

    /// <remarks>Also after a start that failed: what did not start is passed by, and the port goes whatever happens.</remarks>
    public async Task DisposeAsync()
    {
        _client?.Dispose();
        try
        {
            if (_notes is not null)
            {
                await _notes.DisposeAsync();
            }
        }
        finally
        {
            await _port.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("/notes/1")]
    [InlineData("/notes")]
    public async Task AReadMetByADroppedConnectionRunsAgainAndSucceeds(string url)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AChangeMetByADroppedConnectionIsReportedUnconfirmed()
    {
        using var response = await _client.PostAsync("/notes?desc=AfterTheCut", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("The notes database did not confirm the change.", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
        using var next = await _client.PostAsync("/notes?desc=Next", null);
        Assert.Equal(HttpStatusCode.Created, next.StatusCode);
    }
}
