using System.Net;
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
        Assert.Contains("ConnectionStrings:notesdb", notes.Output);
    }

    [OwnPostgresFact]
    public async Task NotesWaitsForADatabaseThatIsNotUpYet()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await postgres.StopAsync();
        try
        {
            await using var notes = ServiceProcess.Launch("NotesAspire.Notes", new Dictionary<string, string>
            {
                ["ConnectionStrings__notesdb"] = connectionString,
            });
            Assert.True(await Eventually.IsTrue(() => notes.Output.Contains("The database is not reachable yet")), notes.Output);

            await postgres.StartAsync();

            using var client = notes.CreateClient();
            Assert.True(await Eventually.Serves(async () =>
            {
                using var response = await client.PostAsync("/notes?desc=Late", null);
                return response.StatusCode == HttpStatusCode.Created;
            }), notes.Output);
            Assert.False(notes.HasExited);
        }
        finally
        {
            await postgres.StartAsync();
        }
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
}
