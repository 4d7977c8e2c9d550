using System.Net;
using Npgsql;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>
/// Tests with a notes application of their own: xunit makes a new instance of the class for each test, so each test
/// gets its own database, calendar and notes processes, started before it and stopped after it.
/// </summary>
public abstract class NotesAppTests(PostgresFixture postgres) : IAsyncLifetime
{
    protected NotesApp App { get; private set; } = null!;

    /// <summary>The collection's server, for tests of a database that goes away.</summary>
    protected PostgresFixture Postgres => postgres;

    protected HttpClient Notes { get; private set; } = null!;

    /// <summary>Variables both services get on top of what the AppHost would give them.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Environment => null;

    public virtual async Task InitializeAsync()
    {
        App = await NotesApp.StartAsync(postgres, Environment);
        Notes = App.Notes.CreateClient();
    }

    /// <remarks>xunit disposes a test whose start failed too: what did not start is passed by, so the first failure shows.</remarks>
    public virtual async Task DisposeAsync()
    {
        Notes?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>Creates a note through the API (its description already escaped for the query); returns its id.</summary>
    protected async Task<int> CreateNoteAsync(string escapedDescription)
    {
        using var response = await Notes.PostAsync($"/notes?desc={escapedDescription}", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return IdOf(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The id in the tutorial's answer, <c>(5, Datadog)</c>.</summary>
    protected static int IdOf(string line) => int.Parse(line[1..line.IndexOf(',')]);

    /// <summary>A statement on the test's database, around the API: a state the service would not leave it in.</summary>
    protected async Task ExecuteSqlAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(App.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Notes in the database whose description is LIKE the pattern, read around the API: what was really written.</summary>
    protected async Task<long> CountNotesAsync(string pattern = "%")
    {
        await using var dataSource = NpgsqlDataSource.Create(App.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM notes WHERE description LIKE $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = pattern });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
