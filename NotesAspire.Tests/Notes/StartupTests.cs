using System.Net;
using System.Security.Cryptography;
using NotesAspire.AppHost.Postgres;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.Notes;

/// <summary>How the notes service starts: before its database, without its settings, and again on existing data.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StartupTests(PostgresFixture postgres)
{
    [Fact]
    public async Task WithoutAConnectionStringNotesExitsNamingTheMissingSetting()
    {
        await using var notes = ServiceProcess.Launch("NotesAspire.Notes", new Dictionary<string, string>());

        await notes.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, notes.ExitCode);
        Assert.Contains("ConnectionStrings__notesdb", notes.Output);
    }

    [Fact]
    public async Task NotesWaitsForADatabaseThatIsNotUpYet()
    {
        var port = PostgresFixture.FreeTcpPort();
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var dataRoot = TemporaryFolder.Create("late-pg");
        await using var notes = ServiceProcess.Launch("NotesAspire.Notes", new Dictionary<string, string>
        {
            ["ConnectionStrings__notesdb"] = $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=postgres",
        });
        Assert.True(await Eventually.IsTrue(() => notes.Output.Contains("The database is not reachable yet")), notes.Output);

        await using var server = await LocalPostgresServer.StartAsync(
            new LocalPostgresOptions(Path.Combine(dataRoot.Path, "data"), port, password, Durable: false));

        using var client = notes.CreateClient();
        Assert.True(await Eventually.IsTrue(async () => await TryPostAsync(client) == HttpStatusCode.Created), notes.Output);
        Assert.False(notes.HasExited);
    }

    [Fact]
    public async Task RestartedNotesFindsItsNotesAndKeepsTheSchema()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["ConnectionStrings__notesdb"] = connectionString };

        await using (var first = await ServiceProcess.StartAsync("NotesAspire.Notes", environment))
        {
            using var client = first.CreateClient();
            await client.PostAsync("/notes?desc=Survivor", null);
        }

        await using var second = await ServiceProcess.StartAsync("NotesAspire.Notes", environment);
        using var again = second.CreateClient();
        Assert.Equal("(1, Survivor)", await again.GetStringAsync("/notes/1"));
    }

    private static async Task<HttpStatusCode?> TryPostAsync(HttpClient client)
    {
        try
        {
            using var response = await client.PostAsync("/notes?desc=Late", null);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
