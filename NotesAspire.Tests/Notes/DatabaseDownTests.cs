using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using NotesAspire.AppHost.Postgres;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

/// <summary>A database that goes away is the service's trouble: 503 problem details, whole, and never a 500.</summary>
public sealed class DatabaseDownTests : IAsyncLifetime
{
    private readonly TemporaryFolder _dataRoot = TemporaryFolder.Create("down-pg");
    private LocalPostgresServer _server = null!;
    private ServiceProcess _notes = null!;

    public async Task InitializeAsync()
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _server = await LocalPostgresServer.StartAsync(
            new LocalPostgresOptions(Path.Combine(_dataRoot.Path, "data"), PostgresFixture.FreeTcpPort(), password, Durable: false));
        _notes = await ServiceProcess.StartAsync("NotesAspire.Notes", new Dictionary<string, string>
        {
            ["ConnectionStrings__notesdb"] = _server.GetConnectionString(),
        });
        await _server.DisposeAsync();
    }

    public async Task DisposeAsync()
    {
        await _notes.DisposeAsync();
        _dataRoot.Dispose();
    }

    [Theory]
    [InlineData("GET", "/notes")]
    [InlineData("GET", "/notes/1")]
    [InlineData("POST", "/notes?desc=Lost")]
    [InlineData("PUT", "/notes/1?desc=Lost")]
    [InlineData("DELETE", "/notes/1")]
    public async Task EveryRequestAnswersServiceUnavailableWithProblemDetails(string method, string url)
    {
        using var client = _notes.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("The notes database is unavailable.", problem!.Title);
    }
}
