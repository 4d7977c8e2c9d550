namespace NotesAspire.Tests.Infrastructure;

/// <summary>The calendar and notes services on a database of their own, wired as the AppHost wires them.</summary>
public sealed class NotesApp : IAsyncDisposable
{
    private NotesApp(string connectionString, ServiceProcess calendar, ServiceProcess notes)
    {
        ConnectionString = connectionString;
        Calendar = calendar;
        Notes = notes;
    }

    public string ConnectionString { get; }

    public ServiceProcess Calendar { get; }

    public ServiceProcess Notes { get; }

    public static async Task<NotesApp> StartAsync(PostgresFixture postgres, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var calendar = await ServiceProcess.StartAsync("NotesAspire.Calendar", With(extraEnvironment, new()
        {
            ["DD_SERVICE"] = "calendar",
        }));
        try
        {
            var notes = await ServiceProcess.StartAsync("NotesAspire.Notes", With(extraEnvironment, new()
            {
                ["DD_SERVICE"] = "notes",
                ["ConnectionStrings__notesdb"] = connectionString,
                ["services__calendar__http__0"] = calendar.BaseAddress.ToString(),
            }));
            return new NotesApp(connectionString, calendar, notes);
        }
        catch
        {
            await calendar.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Notes.DisposeAsync();
        await Calendar.DisposeAsync();
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string>? extra, Dictionary<string, string> environment)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return environment;
    }
}
