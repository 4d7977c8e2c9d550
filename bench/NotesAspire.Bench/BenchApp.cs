using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Bench;

/// <summary>Calendar and notes as real processes from their builds, with the environment the AppHost would give them.</summary>
public sealed class BenchApp(ServiceProcess calendar, ServiceProcess notes) : IAsyncDisposable
{
    public ServiceProcess Notes { get; } = notes;

    /// <param name="telemetry">The OTLP environment (<see cref="TracingSink.Environment"/>), or empty for tracing off.</param>
    public static async Task<BenchApp> StartAsync(string connectionString, IReadOnlyDictionary<string, string> telemetry)
    {
        var calendar = await ServiceProcess.StartAsync("NotesAspire.Calendar", With(telemetry, "calendar"));
        var notes = await ServiceProcess.StartAsync("NotesAspire.Notes", new Dictionary<string, string>(With(telemetry, "notes"))
        {
            ["ConnectionStrings__notesdb"] = connectionString,
            ["services__calendar__http__0"] = calendar.BaseAddress.ToString(),
        });
        return new BenchApp(calendar, notes);
    }

    public async ValueTask DisposeAsync()
    {
        await Notes.DisposeAsync();
        await calendar.DisposeAsync();
    }

    // Datadog's unified service tags, as the AppHost's AddServiceTags gives them.
    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> telemetry, string service) =>
        new(telemetry)
        {
            ["DD_SERVICE"] = service,
            ["DD_ENV"] = "bench",
            ["DD_VERSION"] = "0.1.0",
            ["OTEL_SERVICE_NAME"] = service,
        };
}

/// <summary>
/// The AppHost's own local PostgreSQL server (the tests' fixture), durable: fsync, synchronous commit and full-page writes
/// on, as the AppHost runs it and any real server: a commit waits for its WAL to reach the disk, for the service and
/// pgbench alike.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private readonly PostgresFixture _fixture = new() { Durable = true };

    public async Task<string> StartAsync()
    {
        await _fixture.InitializeAsync();
        return await _fixture.CreateDatabaseAsync();
    }

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();
}
