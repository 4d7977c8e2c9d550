using Npgsql;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>The first PostgreSQL choice: a server the user already runs, named by ConnectionStrings__postgres.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ExistingPostgresTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AnExistingServerIsUsedWithTheUsersOwnSettings()
    {
        var given = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Timeout = 17 }.ConnectionString;
        using var instance = new IsolatedAppHost();

        await using var appHost = await instance.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__postgres"] = given });

        Assert.Contains("postgres: existing server", appHost.Output);
        using var http = new HttpClient { BaseAddress = instance.NotesUrl };
        var created = await (await http.PostAsync("/notes?desc=Elsewhere", null)).Content.ReadAsStringAsync();
        Assert.EndsWith(", Elsewhere)", created);
        var notesdb = new NpgsqlConnectionStringBuilder(
            LinuxProcesses.EnvironmentOf(appHost.CurrentProcessId("notes")!.Value)["ConnectionStrings__notesdb"]);
        Assert.Equal(("notesdb", 17), (notesdb.Database, notesdb.Timeout));
    }
}
